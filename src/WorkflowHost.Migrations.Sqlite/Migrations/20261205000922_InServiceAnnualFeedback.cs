using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InServiceAnnualFeedback : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "InServiceReview",
                columns: table => new
                {
                    CommunityId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LettersIssuedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InServiceReview", x => new { x.CommunityId, x.Year });
                    table.ForeignKey(
                        name: "FK_InServiceReview_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_InServiceReview_Instances_InstanceId",
                        column: x => x.InstanceId,
                        principalTable: "Instances",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InServiceEvaluation",
                columns: table => new
                {
                    CommunityId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Rating = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SavedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SavedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LetterNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InServiceEvaluation", x => new { x.CommunityId, x.Year, x.PersonId });
                    table.ForeignKey(
                        name: "FK_InServiceEvaluation_InServiceReview_CommunityId_Year",
                        columns: x => new { x.CommunityId, x.Year },
                        principalTable: "InServiceReview",
                        principalColumns: new[] { "CommunityId", "Year" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_InServiceEvaluation_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_InServiceEvaluation_CommunityId_UnitId_Year",
                table: "InServiceEvaluation",
                columns: new[] { "CommunityId", "UnitId", "Year" });

            migrationBuilder.CreateIndex(
                name: "IX_InServiceEvaluation_PersonId",
                table: "InServiceEvaluation",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_InServiceReview_InstanceId",
                table: "InServiceReview",
                column: "InstanceId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InServiceEvaluation");

            migrationBuilder.DropTable(
                name: "InServiceReview");
        }
    }
}
