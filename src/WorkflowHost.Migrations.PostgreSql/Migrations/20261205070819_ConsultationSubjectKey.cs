using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.PostgreSql.Migrations
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
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Instances_CommunityId_DefinitionId_SubjectKey_UnitId_Create~",
                table: "Instances",
                columns: new[] { "CommunityId", "DefinitionId", "SubjectKey", "UnitId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Instances_CommunityId_DefinitionId_SubjectKey_UnitId_Create~",
                table: "Instances");

            migrationBuilder.DropColumn(
                name: "SubjectKey",
                table: "Instances");
        }
    }
}
