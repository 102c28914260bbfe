using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class InServiceMembersAndTaskHolders : Migration
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

            migrationBuilder.AddColumn<string>(
                name: "Branch",
                table: "InServiceRegistration",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "InstanceId",
                table: "InServiceRegistration",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Phone",
                table: "InServiceRegistration",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreferredPosts",
                table: "InServiceRegistration",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Skills",
                table: "InServiceRegistration",
                type: "character varying(200)",
                maxLength: 200,
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

            migrationBuilder.CreateTable(
                name: "EndedRegistration",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CommunityId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UnitId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RegisteredOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    ResidenceZh = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    EndedByInstanceId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EndedRegistration", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EndedRegistration_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServiceOffer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Category = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Places = table.Column<int>(type: "integer", nullable: false),
                    Claimed = table.Column<int>(type: "integer", nullable: false),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    PublishedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceOffer", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServiceOffer_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServiceClaim",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OfferId = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ClaimedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    MinutesServed = table.Column<int>(type: "integer", nullable: true),
                    ServedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    ConfirmedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ConfirmedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    MemberRemindedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    OfficeRemindedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceClaim", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServiceClaim_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ServiceClaim_ServiceOffer_OfferId",
                        column: x => x.OfferId,
                        principalTable: "ServiceOffer",
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

            migrationBuilder.CreateIndex(
                name: "IX_EndedRegistration_PersonId_EndedOn",
                table: "EndedRegistration",
                columns: new[] { "PersonId", "EndedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceClaim_CommunityId_Status_DueOn",
                table: "ServiceClaim",
                columns: new[] { "CommunityId", "Status", "DueOn" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceClaim_OfferId_PersonId",
                table: "ServiceClaim",
                columns: new[] { "OfferId", "PersonId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ServiceClaim_PersonId_ServedOn",
                table: "ServiceClaim",
                columns: new[] { "PersonId", "ServedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceOffer_CommunityId_DueOn",
                table: "ServiceOffer",
                columns: new[] { "CommunityId", "DueOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Absences");

            migrationBuilder.DropTable(
                name: "EndedRegistration");

            migrationBuilder.DropTable(
                name: "ServiceClaim");

            migrationBuilder.DropTable(
                name: "ServiceOffer");

            migrationBuilder.DropIndex(
                name: "IX_WorkItems_CommunityId_Status_DelegateId",
                table: "WorkItems");

            migrationBuilder.DropColumn(
                name: "DelegateId",
                table: "WorkItems");

            migrationBuilder.DropColumn(
                name: "HolderId",
                table: "WorkItems");

            migrationBuilder.DropColumn(
                name: "Branch",
                table: "InServiceRegistration");

            migrationBuilder.DropColumn(
                name: "InstanceId",
                table: "InServiceRegistration");

            migrationBuilder.DropColumn(
                name: "Phone",
                table: "InServiceRegistration");

            migrationBuilder.DropColumn(
                name: "PreferredPosts",
                table: "InServiceRegistration");

            migrationBuilder.DropColumn(
                name: "Skills",
                table: "InServiceRegistration");
        }
    }
}
