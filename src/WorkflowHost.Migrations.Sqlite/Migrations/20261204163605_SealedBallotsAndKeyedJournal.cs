using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SealedBallotsAndKeyedJournal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "HashScheme",
                table: "JournalEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "SealedChoices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BookmarkId = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    CommunityId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Sealed = table.Column<byte[]>(type: "BLOB", maxLength: 157, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SealedChoices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SealedChoices_Instances_InstanceId",
                        column: x => x.InstanceId,
                        principalTable: "Instances",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StoreKeyChecks",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Check = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoreKeyChecks", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SealedChoices_InstanceId_BookmarkId",
                table: "SealedChoices",
                columns: new[] { "InstanceId", "BookmarkId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SealedChoices");

            migrationBuilder.DropTable(
                name: "StoreKeyChecks");

            migrationBuilder.DropColumn(
                name: "HashScheme",
                table: "JournalEvents");
        }
    }
}
