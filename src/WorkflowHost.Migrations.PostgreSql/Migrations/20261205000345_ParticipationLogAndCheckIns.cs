using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ParticipationLogAndCheckIns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "InServiceMembers",
                table: "Units",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecordedBy",
                table: "CommunityParticipation",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Role",
                table: "CommunityParticipation",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "participant");

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "CommunityParticipation",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "summary");

            migrationBuilder.CreateTable(
                name: "ActivityCheckIn",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    InstanceId = table.Column<Guid>(type: "uuid", nullable: true),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Code = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    OpensAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosesAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OpenedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityCheckIn", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivityCheckIn_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CheckInFailure",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CheckInFailure", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CheckInFailure_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CommunityParticipation_InstanceId_PersonId",
                table: "CommunityParticipation",
                columns: new[] { "InstanceId", "PersonId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivityCheckIn_CommunityId_Code_ClosesAt",
                table: "ActivityCheckIn",
                columns: new[] { "CommunityId", "Code", "ClosesAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityCheckIn_InstanceId_ClosesAt",
                table: "ActivityCheckIn",
                columns: new[] { "InstanceId", "ClosesAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CheckInFailure_PersonId_At",
                table: "CheckInFailure",
                columns: new[] { "PersonId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActivityCheckIn");

            migrationBuilder.DropTable(
                name: "CheckInFailure");

            migrationBuilder.DropIndex(
                name: "IX_CommunityParticipation_InstanceId_PersonId",
                table: "CommunityParticipation");

            migrationBuilder.DropColumn(
                name: "InServiceMembers",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "RecordedBy",
                table: "CommunityParticipation");

            migrationBuilder.DropColumn(
                name: "Role",
                table: "CommunityParticipation");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "CommunityParticipation");
        }
    }
}
