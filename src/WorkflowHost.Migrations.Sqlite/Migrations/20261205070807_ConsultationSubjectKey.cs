using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConsultationSubjectKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SubjectKey",
                table: "Instances",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Instances_CommunityId_DefinitionId_SubjectKey_UnitId_CreatedAt",
                table: "Instances",
                columns: new[] { "CommunityId", "DefinitionId", "SubjectKey", "UnitId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Instances_CommunityId_DefinitionId_SubjectKey_UnitId_CreatedAt",
                table: "Instances");

            migrationBuilder.DropColumn(
                name: "SubjectKey",
                table: "Instances");
        }
    }
}
