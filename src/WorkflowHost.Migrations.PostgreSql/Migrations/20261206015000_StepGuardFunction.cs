using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WorkflowHost.Persistence;

#nullable disable

namespace WorkflowHost.Migrations.PostgreSql.Migrations
{
    /// <summary>
    /// PostgreSQL only, no change to the model (decision 168): the guard a vote's self-committing command calls after
    /// each guarded update, with the number of rows it changed. Anything but one raises SQLSTATE WH409, which aborts the
    /// command's implicit transaction, every statement of it; the host reads WH409 as a lost race. Volatile (the
    /// default), so the planner never calls it ahead of the count it is given.
    /// </summary>
    [DbContext(typeof(WorkflowDbContext))]
    [Migration("20261206015000_StepGuardFunction")]
    public partial class StepGuardFunction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION workflowhost_step_guard(changed bigint) RETURNS integer
                LANGUAGE plpgsql VOLATILE AS $guard$
                BEGIN
                    IF changed IS DISTINCT FROM 1 THEN
                        RAISE EXCEPTION 'A guarded row of the step changed % rows, not 1: another step got there first.', changed
                            USING ERRCODE = 'WH409';
                    END IF;
                    RETURN 1;
                END
                $guard$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS workflowhost_step_guard(bigint);");
        }
    }
}
