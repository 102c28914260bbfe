using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class TaskHoldersAndAbsences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DelegateId",
                table: "WorkItems",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HolderId",
                table: "WorkItems",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Absences",
                columns: table => new
                {
                    PersonId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CommunityId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FirstDay = table.Column<DateOnly>(type: "date", nullable: false),
                    LastDay = table.Column<DateOnly>(type: "date", nullable: false),
                    DeputyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SetAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Absences", x => x.PersonId);
                    table.ForeignKey(
                        name: "FK_Absences_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkItems_CommunityId_Status_DelegateId",
                table: "WorkItems",
                columns: new[] { "CommunityId", "Status", "DelegateId" });

            migrationBuilder.CreateIndex(
                name: "IX_Absences_CommunityId_LastDay",
                table: "Absences",
                columns: new[] { "CommunityId", "LastDay" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Absences");

            migrationBuilder.DropIndex(
                name: "IX_WorkItems_CommunityId_Status_DelegateId",
                table: "WorkItems");

            migrationBuilder.DropColumn(
                name: "DelegateId",
                table: "WorkItems");

            migrationBuilder.DropColumn(
                name: "HolderId",
                table: "WorkItems");
        }
    }
}
