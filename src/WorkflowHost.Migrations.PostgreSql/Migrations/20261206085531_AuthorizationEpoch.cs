using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowHost.Migrations.PostgreSql.Migrations
{
    /// <summary>
    /// The authorization epoch (decision 173): one row, raised by a statement trigger in the same transaction as every
    /// change of what a session check reads. Sessions and accounts on UPDATE, DELETE and TRUNCATE (a new session or account
    /// is in no host's cache); people and their roles on INSERT too (a role or a person added changes what a cached entry
    /// would say). A statement trigger fires even when no row changed: a spurious raise costs one full check, never a stale one.
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
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuthorizationEpochs", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "AuthorizationEpochs",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });

            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION workflowhost_raise_authorization_epoch() RETURNS trigger
                LANGUAGE plpgsql AS $raise$
                BEGIN
                    UPDATE "AuthorizationEpochs" SET "Value" = "Value" + 1 + floor(random() * 1073741824)::bigint WHERE "Id" = 1;
                    RETURN NULL;
                END
                $raise$;
                """);
            foreach (var (table, events) in Raisers)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{TriggerName(table)}" AFTER {events} ON "{table}"
                    FOR EACH STATEMENT EXECUTE FUNCTION workflowhost_raise_authorization_epoch();
                    """);
            }
        }

        private static readonly (string Table, string Events)[] Raisers =
        [
            ("AccountSessions", "UPDATE OR DELETE OR TRUNCATE"),
            ("Accounts", "UPDATE OR DELETE OR TRUNCATE"),
            ("People", "INSERT OR UPDATE OR DELETE OR TRUNCATE"),
            ("PersonRoles", "INSERT OR UPDATE OR DELETE OR TRUNCATE"),
        ];

        private static string TriggerName(string table) => $"AuthorizationEpoch_{table}";

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in Raisers)
            {
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{TriggerName(table)}" ON "{table}";""");
            }

            migrationBuilder.Sql("DROP FUNCTION IF EXISTS workflowhost_raise_authorization_epoch();");
            migrationBuilder.DropTable(
                name: "AuthorizationEpochs");
        }
    }
}
