using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>A collection window: units pledge resources (a facility reserves its hours) until the organiser closes it.</summary>
public sealed class CollectActivityTests
{
    private const string LibraryLiaison = "p-liaison-dong";
    private const string HospitalLiaison = "p-liaison-peng";

    private static WorkflowDefinition Definition(string extra = "") => TestDefinitions.Flow(
        $$"""
        { "id": "pledges", "type": "collect", "contributors": { "role": "unit-liaison" }, "closedBy": { "initiator": true }, "maxItems": 3{{extra}},
          "fields": [
            { "name": "kind", "type": "choice", "required": true, "label": { "zh-CN": "类别", "en": "Kind" }, "options": [
              { "value": "facility", "label": { "zh-CN": "设施", "en": "Facility" } }, { "value": "volunteers", "label": { "zh-CN": "志愿者", "en": "Volunteers" } } ] },
            { "name": "facility", "type": "text", "requiredIf": { "field": "kind", "equalTo": "facility" }, "label": { "zh-CN": "设施", "en": "Facility" } },
            { "name": "from", "type": "time", "label": { "zh-CN": "开始", "en": "From" } },
            { "name": "to", "type": "time", "label": { "zh-CN": "结束", "en": "To" } },
            { "name": "volunteers", "type": "integer", "min": 1, "requiredIf": { "field": "kind", "equalTo": "volunteers" }, "label": { "zh-CN": "人数", "en": "Number" } } ],
          "reserve": { "onlyIf": { "field": "kind", "equalTo": "facility" }, "resource": "facility", "date": "input.date", "from": "from", "to": "to" } },
        { "id": "end", "type": "end", "result": "closed" }
        """,
        """{ "from": "pledges", "outcome": "closed", "to": "end" }""",
        """{ "name": "date", "type": "date", "required": true, "label": { "zh-CN": "日期", "en": "Date" } }""");

    private static InstanceDriver Open(string extra = "") =>
        InstanceDriver.Started(Definition(extra), DetaiLiaison, new JsonObject { ["date"] = "2026-03-14" });

    private static string Window(InstanceDriver driver) => driver.OpenBookmark("pledges").Id;

    private static JsonObject Facility(string facility, string from, string to) =>
        new() { ["kind"] = "facility", ["facility"] = facility, ["from"] = from, ["to"] = to };

    [Fact]
    public void A_facility_pledge_asks_the_store_to_reserve_its_hours_on_the_activity_date()
    {
        var driver = Open();

        var effects = driver.Send(new Contribute(Window(driver), LibraryLiaison, Facility("fac-library-hall", "09:00", "11:30")));

        Assert.Equal(
            new ReservationRequested("pledges", 0, "fac-library-hall", "facility", "unit-district-library",
                new DateTimeOffset(2026, 3, 14, 9, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 3, 14, 11, 30, 0, TimeSpan.FromHours(8))),
            Assert.Single(effects.OfType<ReservationRequested>()));
        var record = driver.State.Variables["pledges"]!;
        Assert.Equal((1, "unit-district-library"), (record["count"]!.GetValue<int>(), record["units"]![0]!.GetValue<string>()));
        Assert.Equal("fac-library-hall", record["items"]![0]!["item"]!["facility"]!.GetValue<string>());
    }

    [Fact]
    public void Other_pledges_reserve_nothing()
    {
        var driver = Open();

        var effects = driver.Send(new Contribute(Window(driver), HospitalLiaison, new JsonObject { ["kind"] = "volunteers", ["volunteers"] = 6 }));

        Assert.Empty(effects.OfType<ReservationRequested>());
        Assert.Null(driver.State.Variables["pledges"]!["items"]![0]!["reservation"]);
    }

    [Theory]
    [InlineData("11:30", "09:00", "to")]
    [InlineData("09:00", "09:00", "to")]
    [InlineData(null, "09:00", "from")]
    public void A_reservation_needs_a_time_range(string? from, string to, string field)
    {
        var driver = Open();
        var item = Facility("fac-library-hall", from ?? "", to);
        if (from is null)
        {
            item.Remove("from");
        }

        var refusal = driver.Refuse(new Contribute(Window(driver), LibraryLiaison, item), RefusalCode.InvalidInput);

        Assert.Contains(field, refusal.FieldErrors!.Keys);
    }

    [Fact]
    public void Items_are_checked_against_the_fields()
    {
        var driver = Open();

        var refusal = driver.Refuse(new Contribute(Window(driver), LibraryLiaison, new JsonObject { ["kind"] = "volunteers", ["volunteers"] = 0 }), RefusalCode.InvalidInput);

        Assert.Equal(["volunteers"], refusal.FieldErrors!.Keys);
    }

    [Theory]
    [InlineData(OfficeXie)]
    [InlineData(MemberLi)]
    public void Only_contributors_contribute(string actor)
    {
        var driver = Open();

        driver.Refuse(new Contribute(Window(driver), actor, new JsonObject { ["kind"] = "volunteers", ["volunteers"] = 2 }), RefusalCode.NotAllowed);
    }

    [Fact]
    public void The_window_holds_at_most_its_max_items()
    {
        var driver = Open();
        for (var i = 0; i < 3; i++)
        {
            driver.Send(new Contribute(Window(driver), HospitalLiaison, new JsonObject { ["kind"] = "volunteers", ["volunteers"] = i + 1 }));
        }

        driver.Refuse(new Contribute(Window(driver), HospitalLiaison, new JsonObject { ["kind"] = "volunteers", ["volunteers"] = 9 }), RefusalCode.NotAllowed);
    }

    [Fact]
    public void A_unit_retracts_its_own_pledge_and_its_reservation_is_released()
    {
        var driver = Open();
        driver.Send(new Contribute(Window(driver), LibraryLiaison, Facility("fac-library-hall", "09:00", "11:30")));
        driver.Send(new Contribute(Window(driver), HospitalLiaison, new JsonObject { ["kind"] = "volunteers", ["volunteers"] = 4 }));

        driver.Refuse(new RetractContribution(Window(driver), HospitalLiaison, 0), RefusalCode.NotAllowed);
        driver.Refuse(new RetractContribution(Window(driver), LibraryLiaison, 7), RefusalCode.NotFound);
        var effects = driver.Send(new RetractContribution(Window(driver), LibraryLiaison, 0, "闭馆检修"));

        Assert.Equal(new ReservationReleased("pledges", 0), Assert.Single(effects.OfType<ReservationReleased>()));
        var record = driver.State.Variables["pledges"]!;
        Assert.Equal(1, record["count"]!.GetValue<int>());
        Assert.Equal(["unit-district-hospital"], record["units"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal(0, record["retracted"]![0]!["index"]!.GetValue<int>());
        Assert.Equal(1, record["items"]![0]!["index"]!.GetValue<int>()); // indexes are never reused
    }

    [Fact]
    public void The_initiator_closes_the_window_and_nobody_else()
    {
        var driver = Open();
        driver.Send(new Contribute(Window(driver), HospitalLiaison, new JsonObject { ["kind"] = "volunteers", ["volunteers"] = 4 }));

        driver.Refuse(new CompleteTask(Window(driver), OfficeXie, "close"), RefusalCode.NotAllowed);
        driver.Refuse(new CompleteTask(Window(driver), DetaiLiaison, "done"), RefusalCode.UnknownOption);
        var window = Window(driver);
        driver.Send(new CompleteTask(window, DetaiLiaison, "close"));

        Assert.Equal("closed", driver.State.Result);
        driver.Refuse(new Contribute(window, HospitalLiaison, new JsonObject { ["kind"] = "volunteers", ["volunteers"] = 1 }), RefusalCode.InstanceEnded);
    }

    [Fact]
    public void A_window_with_closesAfter_closes_by_itself()
    {
        var driver = Open(""", "closesAfter": { "workingDays": 2 }""");
        var window = Window(driver);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 17, 30, 0, TimeSpan.FromHours(8)), driver.OpenBookmark("pledges").DueAt);

        driver.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 4, 17, 30, 0, TimeSpan.FromHours(8)));
        var effects = driver.Send(new FireTimer($"{window}:closes"));

        Assert.Contains(new TaskClosed(window, CloseReason.DeadlinePassed), effects);
        Assert.Equal("closed", driver.State.Result);
    }

    [Fact]
    public void Contributing_to_a_plain_task_is_refused()
    {
        var driver = Consultation.Submitted();

        driver.Refuse(new Contribute(driver.OpenBookmark(Consultation.OfficeCheck).Id, OfficeXie, []), RefusalCode.NotFound);
    }
}
