using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BallotVoterPendingKeyIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BallotVoters_PersonId_Pending",
                table: "BallotVoters");

            migrationBuilder.CreateIndex(
                name: "IX_BallotVoters_PersonId_Pending",
                table: "BallotVoters",
                columns: new[] { "PersonId", "InstanceId", "BookmarkId" },
                filter: "\"Status\" = 'pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BallotVoters_PersonId_Pending",
                table: "BallotVoters");

            migrationBuilder.CreateIndex(
                name: "IX_BallotVoters_PersonId_Pending",
                table: "BallotVoters",
                column: "PersonId",
                filter: "\"Status\" = 'pending'");
        }
    }
}
