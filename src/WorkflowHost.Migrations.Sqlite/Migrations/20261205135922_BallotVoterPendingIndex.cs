using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BallotVoterPendingIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BallotVoters_PersonId_Status",
                table: "BallotVoters");

            migrationBuilder.CreateIndex(
                name: "IX_BallotVoters_PersonId",
                table: "BallotVoters",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_BallotVoters_PersonId_Pending",
                table: "BallotVoters",
                column: "PersonId",
                filter: "\"Status\" = 'pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BallotVoters_PersonId",
                table: "BallotVoters");

            migrationBuilder.DropIndex(
                name: "IX_BallotVoters_PersonId_Pending",
                table: "BallotVoters");

            migrationBuilder.CreateIndex(
                name: "IX_BallotVoters_PersonId_Status",
                table: "BallotVoters",
                columns: new[] { "PersonId", "Status" });
        }
    }
}
