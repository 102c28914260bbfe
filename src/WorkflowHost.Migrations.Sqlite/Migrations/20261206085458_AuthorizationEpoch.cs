using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// The authorization epoch (decision 173): one row, raised by a trigger in the same transaction as every change of
    /// what a session check reads. Sessions and accounts on UPDATE and DELETE (a new session or account is in no host's
    /// cache); people and their roles on INSERT too (a role or a person added changes what a cached entry would say).
    /// Each raise adds a random amount as well as one: a database restored from an older backup climbs back through
    /// other values than the ones hosts kept checks at, so a kept epoch is not met again by chance (decision 173).
    /// </summary>
    public partial class AuthorizationEpoch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuthorizationEpochs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuthorizationEpochs", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "AuthorizationEpochs",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });

            foreach (var (table, action) in Raisers)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{TriggerName(table, action)}" AFTER {action} ON "{table}"
                    BEGIN
                        UPDATE "AuthorizationEpochs" SET "Value" = "Value" + 1 + (random() & 1073741823) WHERE "Id" = 1;
                    END;
                    """);
            }
        }

        private static readonly (string Table, string Action)[] Raisers =
        [
            ("AccountSessions", "UPDATE"), ("AccountSessions", "DELETE"),
            ("Accounts", "UPDATE"), ("Accounts", "DELETE"),
            ("People", "INSERT"), ("People", "UPDATE"), ("People", "DELETE"),
            ("PersonRoles", "INSERT"), ("PersonRoles", "UPDATE"), ("PersonRoles", "DELETE"),
        ];

        private static string TriggerName(string table, string action) => $"AuthorizationEpoch_{table}_{action}";

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, action) in Raisers)
            {
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{TriggerName(table, action)}";""");
            }

            migrationBuilder.DropTable(
                name: "AuthorizationEpochs");
        }
    }
}
