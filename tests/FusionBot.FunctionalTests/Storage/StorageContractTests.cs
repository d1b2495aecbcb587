using System.Collections.Concurrent;
using FusionBot.Bot;
using FusionBot.Features.Review;
using FusionBot.Protocol.Models;
using FusionBot.Requests;
using FusionBot.Storage;
using FusionBot.Storage.Rows;
using Microsoft.Extensions.Time.Testing;

namespace FusionBot.FunctionalTests.Storage;

/// <summary>What every store promises, whichever backend holds the rows. Each test starts on empty tables.</summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private StorageHost? _host;

    /// <summary>The clock the stores see (processed-activity marks take their time as an argument instead).</summary>
    protected FakeTimeProvider Clock { get; } = new(T0);

    protected StorageHost Host => _host ?? throw new InvalidOperationException("Not initialized.");
    protected IRequestStore Requests => Host.Get<IRequestStore>();
    protected IDialogStateStore DialogState => Host.Get<IDialogStateStore>();
    private IRequestHistoryStore History => Host.Get<IRequestHistoryStore>();
    private IConversationReferenceStore References => Host.Get<IConversationReferenceStore>();
    private IDueWorkStore DueWork => Host.Get<IDueWorkStore>();
    private IProcessedActivityStore Processed => Host.Get<IProcessedActivityStore>();
    private IDigestSubscriptionStore Digest => Host.Get<IDigestSubscriptionStore>();
    private IChannelRoutingStore Routing => Host.Get<IChannelRoutingStore>();
    private IComponentCatalogueStore Catalogue => Host.Get<IComponentCatalogueStore>();
    private IGuidelineAcknowledgementStore Acknowledgements => Host.Get<IGuidelineAcknowledgementStore>();

    /// <summary>The "Storage" section (without the prefix) selecting the backend under test.</summary>
    protected abstract IDictionary<string, string?> StorageSettings();

    public async Task InitializeAsync() =>
        _host = await StorageHost.StartAsync(StorageSettings(), Path.GetTempPath(), Clock);

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    protected static GovernanceRequest NewRequest(string tenantId, string makerId, string title) => new()
    {
        Id = "ignored",
        TenantId = tenantId,
        Title = title,
        Answers = new IntakeAnswers
        {
            SolutionName = title,
            Platform = Platform.PowerApps,
            Audience = Audience.MyDepartment,
            ExpectedUsers = 40,
            DataSources = ["shared-sharepoint"],
            Sensitivity = DataSensitivity.Internal,
            CustomCode = CustomCode.None,
        },
        Tier = 2,
        Reasons = ["Department-wide audience"],
        Status = RequestStatus.PendingReview,
        Maker = new Person(makerId, "aad-" + makerId, "Maker " + makerId),
        MakerConversation = new ConversationReference
        {
            Conversation = new ConversationAccount { Id = "a:1-" + makerId },
            ServiceUrl = "https://smba.example/emea/",
        },
        CreatedAt = T0,
        UpdatedAt = T0,
        DueAt = T0.AddHours(48),
    };

    // ---- requests ----

    [Fact]
    public async Task ACreatedRequestGetsAnFRIdAndReadsBackEqual()
    {
        var created = await Requests.CreateAsync(NewRequest("tenant-a", "maker-1", "Expense app"));

        Assert.Matches("^FR-[0-9]{6}$", created.Id);
        Assert.NotNull(created.ETag);
        var read = await Requests.GetAsync("tenant-a", created.Id);
        Assert.Equivalent(created, read, strict: true);
        Assert.Null(await Requests.GetAsync("tenant-b", created.Id));
        Assert.Null(await Requests.GetAsync("tenant-a", "FR-999999"));
    }

    [Fact]
    public async Task ARequestCreatedUnderAReservedIdKeepsItAndASecondCreateConflicts()
    {
        var reserved = await Requests.NewIdAsync();
        var created = await Requests.CreateAsync(NewRequest("tenant-a", "maker-1", "Reserved") with { Id = reserved });

        Assert.Equal(reserved, created.Id);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Requests.CreateAsync(NewRequest("tenant-a", "maker-1", "Again") with { Id = reserved }));
        Assert.Equal("Reserved", (await Requests.GetAsync("tenant-a", reserved))!.Title);
        Assert.NotEqual(reserved, (await Requests.CreateAsync(NewRequest("tenant-a", "maker-1", "Next"))).Id);
    }

    [Fact]
    public async Task FiftyConcurrentCreatesGetFiftyDistinctIds()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => Requests.CreateAsync(NewRequest("tenant-a", "maker-" + (i % 3), "App " + i)))));

        Assert.Equal(50, created.Select(r => r.Id).Distinct().Count());
        var all = await Requests.ListAsync("tenant-a", 100);
        Assert.Equal(created.Select(r => r.Id).Order(), all.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task AnUpdateReturnsANewEtagAndTheOldEtagThenConflicts()
    {
        var created = await Requests.CreateAsync(NewRequest("tenant-a", "maker-1", "Expense app"));

        var approved = await Requests.UpdateAsync(created with { Status = RequestStatus.Approved, LastComment = "ok" });

        Assert.NotEqual(created.ETag, approved.ETag);
        Assert.Equivalent(approved, await Requests.GetAsync("tenant-a", created.Id), strict: true);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Requests.UpdateAsync(created with { Status = RequestStatus.Rejected }));
        Assert.Equal(RequestStatus.Approved, (await Requests.GetAsync("tenant-a", created.Id))!.Status);
    }

    [Fact]
    public async Task TwoConcurrentUpdatesWithTheSameEtagHaveExactlyOneWinnerEveryTime()
    {
        var request = await Requests.CreateAsync(NewRequest("tenant-a", "maker-1", "Expense app"));
        for (var trial = 0; trial < 50; trial++)
        {
            var approve = Task.Run(() => Requests.UpdateAsync(request with { Status = RequestStatus.Approved }));
            var reject = Task.Run(() => Requests.UpdateAsync(request with { Status = RequestStatus.Rejected }));
            var outcomes = await Task.WhenAll(Outcome(approve), Outcome(reject));

            var winner = Assert.Single(outcomes, o => o.Updated is not null).Updated!;
            Assert.IsType<ConcurrencyConflictException>(Assert.Single(outcomes, o => o.Error is not null).Error);
            request = (await Requests.GetAsync("tenant-a", request.Id))!;
            Assert.Equivalent(winner, request, strict: true);
        }
    }

    [Fact]
    public async Task UpdatingARequestThatDoesNotExistConflicts()
    {
        var ghost = NewRequest("tenant-a", "maker-1", "Ghost") with { Id = "FR-424242", ETag = "W/\"datetime'2026-01-01T00%3A00%3A00Z'\"" };

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Requests.UpdateAsync(ghost));
    }

    [Fact]
    public async Task ListingByMakerReturnsOnlyTheirsNewestFirstUpToTheLimit()
    {
        var mine = new List<GovernanceRequest>();
        for (var i = 0; i < 4; i++)
        {
            mine.Add(await Requests.CreateAsync(NewRequest("tenant-a", "maker-1", "Mine " + i)));
            await Requests.CreateAsync(NewRequest("tenant-a", "maker-2", "Theirs " + i));
        }

        await Requests.CreateAsync(NewRequest("tenant-b", "maker-1", "Other tenant"));

        var listed = await Requests.ListByMakerAsync("tenant-a", "maker-1", 3);

        Assert.Equal(mine.AsEnumerable().Reverse().Take(3).Select(r => r.Id), listed.Select(r => r.Id));
        Assert.All(listed, r => Assert.Equal("maker-1", r.Maker.Id));
        Assert.Empty(await Requests.ListByMakerAsync("tenant-a", "maker-9", 10));
    }

    [Fact]
    public async Task ListingATenantPagesInIdOrder()
    {
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await Requests.CreateAsync(NewRequest("tenant-a", "maker-1", "App " + i))).Id);
        }

        var first = await Requests.ListAsync("tenant-a", 3);
        var second = await Requests.ListAsync("tenant-a", 3, afterId: first[^1].Id);

        Assert.Equal(created, first.Concat(second).Select(r => r.Id));
        Assert.All(first, r => Assert.NotNull(r.ETag));
    }

    // ---- history ----

    [Fact]
    public async Task HistoryListsEventsInTimeOrderAndKeepsEveryAppend()
    {
        var submitted = HistoryEvent("FR-000001", T0, "submitted");
        var approved = HistoryEvent("FR-000001", T0.AddHours(2), "approved");
        var claimed = HistoryEvent("FR-000001", T0.AddHours(1), "claimed");

        await History.AppendAsync(submitted);
        await History.AppendAsync(approved);
        await History.AppendAsync(claimed);
        await History.AppendAsync(claimed);
        await History.AppendAsync(HistoryEvent("FR-000002", T0, "submitted"));

        var events = await History.ListAsync("FR-000001");

        Assert.Equal([submitted, claimed, claimed, approved], events);
        Assert.Empty(await History.ListAsync("FR-000003"));
    }

    [Fact]
    public async Task AnEventWithAnIdIsRecordedOnceHoweverOftenItIsAppended()
    {
        var decided = HistoryEvent("FR-000001", T0, "approved") with { Id = "t1-0" };

        await History.AppendAsync(decided);
        await History.AppendAsync(decided);

        Assert.Equal([decided], await History.ListAsync("FR-000001"));
    }

    // ---- dialog state ----

    [Fact]
    public async Task DialogStateIsCreatedOnceThenSavedOnlyWithTheCurrentEtag()
    {
        Assert.Null(await DialogState.GetAsync<SampleState>("conv-1"));

        var first = await DialogState.SaveAsync("conv-1", new SampleState("platform", 1), etag: null);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => DialogState.SaveAsync("conv-1", new SampleState("other", 9), etag: null));

        var second = await DialogState.SaveAsync("conv-1", new SampleState("audience", 2), first);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => DialogState.SaveAsync("conv-1", new SampleState("stale", 9), first));

        var stored = await DialogState.GetAsync<SampleState>("conv-1");
        Assert.Equal(new StoredState<SampleState>(new SampleState("audience", 2), second), stored);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => DialogState.DeleteAsync("conv-1", first));
        Assert.True(await DialogState.DeleteAsync("conv-1", second));
        Assert.Null(await DialogState.GetAsync<SampleState>("conv-1"));
        Assert.False(await DialogState.DeleteAsync("conv-1"));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => DialogState.SaveAsync("conv-1", new SampleState("gone", 0), second));
    }

    [Fact]
    public async Task DialogStateKeysMayHoldAnyTeamsCharactersAndLargePayloads()
    {
        const string conversation = "19:abc/def#g?h\\i%20@thread.tacv2;messageid=1700000000";
        var big = new SampleState(new string('x', 200_000), 7);

        var etag = await DialogState.SaveAsync(conversation, big, etag: null);

        Assert.Equal(new StoredState<SampleState>(big, etag), await DialogState.GetAsync<SampleState>(conversation));
        Assert.Null(await DialogState.GetAsync<SampleState>("19:abc/def#g?h\\i %20@thread.tacv2;messageid=1700000000"));
    }

    // ---- conversation references ----

    [Fact]
    public async Task AUserReferenceIsFoundByEntraIdOrByTeamsIdAndAChannelById()
    {
        var withAad = Reference("a:1-conv-x");
        var teamsOnly = Reference("a:1-conv-y");
        var channel = Reference("19:chan@thread.tacv2");

        await References.SaveForUserAsync("tenant-a", "aad-x", "29:x", withAad);
        await References.SaveForUserAsync("tenant-a", null, "29:y", teamsOnly);
        await References.SaveForChannelAsync("tenant-a", "19:chan@thread.tacv2", channel);

        Assert.Equivalent(withAad, await References.GetForUserAsync("tenant-a", "aad-x", null), strict: true);
        Assert.Equivalent(withAad, await References.GetForUserAsync("tenant-a", "aad-x", "29:x"), strict: true);
        Assert.Equivalent(teamsOnly, await References.GetForUserAsync("tenant-a", "aad-y-unknown", "29:y"), strict: true);
        Assert.Null(await References.GetForUserAsync("tenant-a", "aad-z", "29:z"));
        // A channel's reference keeps no user: whoever spoke last is not where the channel lives.
        Assert.Equivalent(channel with { User = null }, await References.GetForChannelAsync("tenant-a", "19:chan@thread.tacv2"), strict: true);
        Assert.Null(await References.GetForChannelAsync("tenant-a", "19:other@thread.tacv2"));
    }

    [Fact]
    public async Task AReferenceIsFoundOnlyInItsOwnTenant()
    {
        await References.SaveForUserAsync("tenant-a", "aad-x", "29:x", Reference("a:1-conv-x"));
        await References.SaveForChannelAsync("tenant-a", "19:chan@thread.tacv2", Reference("19:chan@thread.tacv2"));

        Assert.Null(await References.GetForUserAsync("tenant-b", "aad-x", "29:x"));
        Assert.Null(await References.GetForChannelAsync("tenant-b", "19:chan@thread.tacv2"));
    }

    [Fact]
    public async Task SavingTheSameReferenceAgainWritesNothingAndAChangedOneReplacesIt()
    {
        var rows = Host.Get<ITableRowStore>();
        await References.SaveForUserAsync("tenant-a", "aad-x", "29:x", Reference("a:1-conv-x"));
        var before = await rows.GetAsync(StorageTables.ConversationReferences, "tenant-a|user", "aad-x");

        await References.SaveForUserAsync("tenant-a", "aad-x", "29:x", Reference("a:1-conv-x"));
        Assert.Equal(before!.ETag, (await rows.GetAsync(StorageTables.ConversationReferences, "tenant-a|user", "aad-x"))!.ETag);

        await References.SaveForUserAsync("tenant-a", "aad-x", "29:x", Reference("a:1-conv-new"));
        Assert.Equivalent(Reference("a:1-conv-new"), await References.GetForUserAsync("tenant-a", "aad-x", null), strict: true);
    }

    [Fact]
    public async Task AReferenceChangedElsewhereIsWrittenAgainOnceWhatThisInstanceStoredIsMinutesOld()
    {
        var rows = Host.Get<ITableRowStore>();
        await References.SaveForUserAsync("tenant-a", "aad-x", "29:x", Reference("a:1-conv-x"));
        await rows.UpsertAsync(StorageTables.ConversationReferences, "tenant-a|user", "aad-x", StorageJson.Serialize(Reference("a:1-conv-elsewhere")));

        // Within a chat the same reference is not even read again: the other writer's row stands for now.
        Clock.Advance(TimeSpan.FromMinutes(1));
        await References.SaveForUserAsync("tenant-a", "aad-x", "29:x", Reference("a:1-conv-x"));
        Assert.Equivalent(Reference("a:1-conv-elsewhere"), await References.GetForUserAsync("tenant-a", "aad-x", null), strict: true);

        Clock.Advance(TimeSpan.FromMinutes(5));
        await References.SaveForUserAsync("tenant-a", "aad-x", "29:x", Reference("a:1-conv-x"));
        Assert.Equivalent(Reference("a:1-conv-x"), await References.GetForUserAsync("tenant-a", "aad-x", null), strict: true);
    }

    // ---- due work ----

    [Fact]
    public async Task OnlyDueItemsAreClaimedInDueOrder()
    {
        await DueWork.EnqueueAsync(Work("later", T0.AddMinutes(1)));
        await DueWork.EnqueueAsync(Work("now", T0));
        await DueWork.EnqueueAsync(Work("earlier", T0.AddMinutes(-5)));

        var claimed = await DueWork.ClaimDueAsync(T0, 10, TimeSpan.FromMinutes(1), "instance-1");

        Assert.Equal(["earlier", "now"], claimed.Select(c => c.Item.Id));
        Assert.All(claimed, c => Assert.Equal("instance-1", c.Owner));
        Assert.Equal(Work("now", T0), claimed[1].Item);
        Assert.Empty(await DueWork.ClaimDueAsync(T0, 10, TimeSpan.FromMinutes(1), "instance-2"));
    }

    [Fact]
    public async Task ParallelClaimersTakeEveryDueItemExactlyOnce()
    {
        const int items = 120;
        await Task.WhenAll(Enumerable.Range(0, items).Select(i =>
            DueWork.EnqueueAsync(Work("w" + i, T0.AddSeconds(-i)))));

        var taken = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(claimer => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await DueWork.ClaimDueAsync(T0, 7, TimeSpan.FromMinutes(5), "claimer-" + claimer);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var claimed in batch)
                {
                    taken.Add(claimed.Item.Id);
                    await DueWork.CompleteAsync(claimed);
                }
            }
        })));

        Assert.Equal(items, taken.Count);
        Assert.Equal(items, taken.Distinct().Count());
    }

    [Fact]
    public async Task AHeldItemIsNotClaimedAgainUntilItsLeaseExpires()
    {
        await DueWork.EnqueueAsync(Work("remind:FR-000001:50", T0));
        var first = Assert.Single(await DueWork.ClaimDueAsync(T0, 5, TimeSpan.FromMinutes(2), "crashed-instance"));
        Assert.Equal(T0.AddMinutes(2), first.LeaseUntil);

        Assert.Empty(await DueWork.ClaimDueAsync(T0.AddMinutes(1), 5, TimeSpan.FromMinutes(2), "instance-2"));
        var reclaimed = Assert.Single(await DueWork.ClaimDueAsync(T0.AddMinutes(3), 5, TimeSpan.FromMinutes(2), "instance-2"));

        Assert.Equal("remind:FR-000001:50", reclaimed.Item.Id);
        Assert.Equal("instance-2", reclaimed.Owner);
    }

    [Fact]
    public async Task ARenewedLeaseKeepsTheItemAndAFormerHolderCannotRenewAfterATakeover()
    {
        await DueWork.EnqueueAsync(Work("remind:FR-000001:50", T0));
        var held = Assert.Single(await DueWork.ClaimDueAsync(T0, 5, TimeSpan.FromSeconds(30), "instance-1"));

        held = await DueWork.RenewAsync(held, T0.AddSeconds(50));
        Assert.Equal(T0.AddSeconds(50), held.LeaseUntil);
        Assert.Empty(await DueWork.ClaimDueAsync(T0.AddSeconds(40), 5, TimeSpan.FromSeconds(30), "instance-2"));

        var takenOver = Assert.Single(await DueWork.ClaimDueAsync(T0.AddSeconds(60), 5, TimeSpan.FromSeconds(30), "instance-2"));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => DueWork.RenewAsync(held, T0.AddSeconds(90)));
        Assert.Equal(T0.AddSeconds(120), (await DueWork.RenewAsync(takenOver, T0.AddSeconds(120))).LeaseUntil);
    }

    [Fact]
    public async Task ACompletedItemIsGoneAndItsIdIsNotEnqueuedAgain()
    {
        await DueWork.EnqueueAsync(Work("notify:FR-000001:approved", T0));
        var claimed = Assert.Single(await DueWork.ClaimDueAsync(T0, 5, TimeSpan.FromMinutes(1), "i1"));

        await DueWork.CompleteAsync(claimed);

        Assert.Empty(await DueWork.ClaimDueAsync(T0.AddHours(1), 5, TimeSpan.FromMinutes(1), "i1"));
        Assert.Equal(DueWorkState.Completed, (await DueWork.GetStatusAsync("notify:FR-000001:approved"))!.State);
        Assert.False(await DueWork.EnqueueAsync(Work("notify:FR-000001:approved", T0)));
        Assert.Empty(await DueWork.ClaimDueAsync(T0.AddHours(1), 5, TimeSpan.FromMinutes(1), "i1"));
    }

    [Fact]
    public async Task AnItemCompletedByAClaimerThatStoppedBeforeTidyingUpIsNotCarriedOutAgain()
    {
        await DueWork.EnqueueAsync(Work("notify:FR-000001:approved", T0));
        var claimed = Assert.Single(await DueWork.ClaimDueAsync(T0, 5, TimeSpan.FromMinutes(1), "i1"));
        // What CompleteAsync writes first; the claimer stops before removing the due row.
        await Host.Get<FusionBot.Storage.Rows.ITableRowStore>().UpsertAsync(FusionBot.Storage.Rows.StorageTables.DueWork, "item", claimed.Item.Id,
            StorageJson.Serialize(new { State = DueWorkState.Completed, DueRowKey = "", DueAt = T0 }));

        Assert.Empty(await DueWork.ClaimDueAsync(T0.AddHours(1), 5, TimeSpan.FromMinutes(1), "i2"));
        Assert.Equal(DueWorkState.Completed, (await DueWork.GetStatusAsync("notify:FR-000001:approved"))!.State);
    }

    [Fact]
    public async Task EnqueuingTheSameIdTwiceKeepsOneItem()
    {
        Assert.True(await DueWork.EnqueueAsync(Work("escalate:FR-000001", T0)));
        Assert.False(await DueWork.EnqueueAsync(Work("escalate:FR-000001", T0.AddMinutes(-1))));

        var claimed = Assert.Single(await DueWork.ClaimDueAsync(T0, 5, TimeSpan.FromMinutes(1), "i1"));
        Assert.Equal(T0, claimed.Item.DueAt);
    }

    [Fact]
    public async Task ARetriedItemIsDueAgainLaterWithItsAttemptAndErrorRecorded()
    {
        await DueWork.EnqueueAsync(Work("notify:FR-000001:approved", T0));
        var claimed = Assert.Single(await DueWork.ClaimDueAsync(T0, 5, TimeSpan.FromMinutes(1), "i1"));

        await DueWork.RetryLaterAsync(claimed, T0.AddMinutes(10), "429 from connector");

        Assert.Empty(await DueWork.ClaimDueAsync(T0.AddMinutes(5), 5, TimeSpan.FromMinutes(1), "i1"));
        var again = Assert.Single(await DueWork.ClaimDueAsync(T0.AddMinutes(10), 5, TimeSpan.FromMinutes(1), "i2"));
        Assert.Equal(Work("notify:FR-000001:approved", T0.AddMinutes(10)) with { Attempts = 1, LastError = "429 from connector" }, again.Item);

        await DueWork.RetryLaterAsync(again, T0.AddMinutes(20), "503");
        var status = await DueWork.GetStatusAsync("notify:FR-000001:approved");
        Assert.Equal(DueWorkState.Pending, status!.State);
        Assert.Equal(2, status.Item!.Attempts);
    }

    [Fact]
    public async Task AFailedItemLeavesTheDueRangeButIsKeptWithItsReason()
    {
        await DueWork.EnqueueAsync(Work("notify:FR-000001:approved", T0));
        var claimed = Assert.Single(await DueWork.ClaimDueAsync(T0, 5, TimeSpan.FromMinutes(1), "i1"));

        await DueWork.FailAsync(claimed, "MessageWritesBlocked");

        Assert.Empty(await DueWork.ClaimDueAsync(T0.AddDays(1), 5, TimeSpan.FromMinutes(1), "i1"));
        var status = await DueWork.GetStatusAsync("notify:FR-000001:approved");
        Assert.Equal(DueWorkState.Failed, status!.State);
        Assert.Equal("MessageWritesBlocked", status.FailureReason);
        Assert.Equal("{\"requestId\":\"FR-000001\"}", status.Item!.Payload);
        Assert.Equal(0, await DueWork.CancelForRequestAsync("FR-000001"));
    }

    [Fact]
    public async Task CancellingRemovesPendingItemsByIdOrByRequest()
    {
        await DueWork.EnqueueAsync(Work("remind:FR-000001:50", T0, "FR-000001"));
        await DueWork.EnqueueAsync(Work("escalate:FR-000001", T0.AddHours(1), "FR-000001"));
        await DueWork.EnqueueAsync(Work("remind:FR-000002:50", T0, "FR-000002"));
        await DueWork.EnqueueAsync(Work("digest:2026-10", T0, requestId: null));

        Assert.True(await DueWork.CancelAsync("digest:2026-10"));
        Assert.False(await DueWork.CancelAsync("digest:2026-10"));
        Assert.Equal(2, await DueWork.CancelForRequestAsync("FR-000001"));
        Assert.Equal(0, await DueWork.CancelForRequestAsync("FR-000001"));

        var left = await DueWork.ClaimDueAsync(T0.AddDays(1), 10, TimeSpan.FromMinutes(1), "i1");
        Assert.Equal(["remind:FR-000002:50"], left.Select(c => c.Item.Id));
        Assert.Null(await DueWork.GetStatusAsync("remind:FR-000001:50"));
        Assert.True(await DueWork.EnqueueAsync(Work("remind:FR-000001:50", T0, "FR-000001")));
    }

    // ---- processed activities ----

    [Fact]
    public async Task AnActivityIdIsNewOnceADay()
    {
        Assert.True(await Processed.TryMarkProcessedAsync("act-1", T0));
        Assert.False(await Processed.TryMarkProcessedAsync("act-1", T0.AddMinutes(1)));
        Assert.False(await Processed.TryMarkProcessedAsync("act-1", T0.AddHours(23)));
        Assert.True(await Processed.TryMarkProcessedAsync("act-2", T0.AddMinutes(1)));

        Assert.True(await Processed.TryMarkProcessedAsync("act-1", T0.AddDays(1).AddSeconds(1)));
        Assert.False(await Processed.TryMarkProcessedAsync("act-1", T0.AddDays(1).AddSeconds(2)));
    }

    [Fact]
    public async Task ARedeliveryAcrossMidnightIsStillRecognised()
    {
        var lateEvening = new DateTimeOffset(2026, 3, 2, 23, 59, 0, TimeSpan.Zero);

        Assert.True(await Processed.TryMarkProcessedAsync("act-1", lateEvening));
        Assert.False(await Processed.TryMarkProcessedAsync("act-1", lateEvening.AddMinutes(2)));
    }

    [Fact]
    public async Task ConcurrentDeliveriesOfOneActivityAreProcessedOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Task.Run(() => Processed.TryMarkProcessedAsync("act-1", T0))));

        Assert.Single(results, r => r);
    }

    // ---- digest subscriptions ----

    [Fact]
    public async Task DigestSubscribersAreListedPerTenantUntilTheyUnsubscribe()
    {
        await Digest.SubscribeAsync("tenant-a", new DigestSubscriber("29:x", Reference("a:1-x")));
        await Digest.SubscribeAsync("tenant-a", new DigestSubscriber("29:y", Reference("a:1-y")));
        await Digest.SubscribeAsync("tenant-a", new DigestSubscriber("29:y", Reference("a:1-y-new")));
        await Digest.SubscribeAsync("tenant-b", new DigestSubscriber("29:z", Reference("a:1-z")));

        Assert.Equivalent(
            new[] { new DigestSubscriber("29:x", Reference("a:1-x")), new DigestSubscriber("29:y", Reference("a:1-y-new")) },
            await Digest.ListAsync("tenant-a"),
            strict: true);

        Assert.True(await Digest.UnsubscribeAsync("tenant-a", "29:x"));
        Assert.False(await Digest.UnsubscribeAsync("tenant-a", "29:x"));
        Assert.Equal(["29:y"], (await Digest.ListAsync("tenant-a")).Select(s => s.UserId));
        Assert.Empty(await Digest.ListAsync("tenant-c"));
    }

    // ---- channel routing ----

    [Fact]
    public async Task AChannelServesTheRolesItIsRegisteredFor()
    {
        var backlog = Channel("19:backlog@thread.tacv2", "Pro-dev backlog");
        var reviews = Channel("19:reviews@thread.tacv2", "Tier 2 reviews");

        await Routing.RegisterAsync(ChannelRoles.Tier3, backlog);
        await Routing.RegisterAsync(ChannelRoles.Tier4, backlog);
        await Routing.RegisterAsync(ChannelRoles.Tier2, reviews);

        Assert.Equal([backlog], await Routing.GetChannelsAsync("tenant-a", ChannelRoles.Tier4));
        Assert.Empty(await Routing.GetChannelsAsync("tenant-a", ChannelRoles.Community));
        Assert.Equal(
            [new ChannelRoute(ChannelRoles.Tier2, reviews), new ChannelRoute(ChannelRoles.Tier3, backlog), new ChannelRoute(ChannelRoles.Tier4, backlog)],
            await Routing.ListAllAsync("tenant-a"));

        Assert.True(await Routing.UnregisterAsync("tenant-a", ChannelRoles.Tier3, backlog.ChannelId));
        Assert.False(await Routing.UnregisterAsync("tenant-a", ChannelRoles.Tier3, backlog.ChannelId));
        Assert.Empty(await Routing.GetChannelsAsync("tenant-a", ChannelRoles.Tier3));
        Assert.Equal([backlog], await Routing.GetChannelsAsync("tenant-a", ChannelRoles.Tier4));
        await Assert.ThrowsAsync<ArgumentException>(() => Routing.RegisterAsync("tier9", backlog));
    }

    [Fact]
    public async Task ATenantSeesAndChangesOnlyItsOwnRoutes()
    {
        var mine = Channel("19:reviews@thread.tacv2", "Tier 2 reviews");
        var theirs = Channel("19:reviews@thread.tacv2", "Their reviews") with { TenantId = "tenant-b" };

        await Routing.RegisterAsync(ChannelRoles.Tier2, mine);
        await Routing.RegisterAsync(ChannelRoles.Tier2, theirs);

        Assert.Equal([mine], await Routing.GetChannelsAsync("tenant-a", ChannelRoles.Tier2));
        Assert.Equal([new ChannelRoute(ChannelRoles.Tier2, theirs)], await Routing.ListAllAsync("tenant-b"));
        Assert.Empty(await Routing.ListAllAsync("tenant-c"));
        Assert.True(await Routing.UnregisterAsync("tenant-b", ChannelRoles.Tier2, theirs.ChannelId));
        Assert.Equal([mine], await Routing.GetChannelsAsync("tenant-a", ChannelRoles.Tier2));
        Assert.Equal(["tenant-a", "tenant-b"], (await Routing.TenantsAsync()).Order(StringComparer.Ordinal));
    }

    // ---- re-keying rows of the global layout (earlier versions) under their tenant ----

    [Fact]
    public async Task RowsOfTheGlobalLayoutMoveUnderTheirTenantAtStartEvenWithTwoInstancesStartingAtOnce()
    {
        var rows = Host.Get<ITableRowStore>();
        var theirs = Channel("19:b-reviews@thread.tacv2", "B reviews") with { TenantId = "tenant-b" };
        await rows.UpsertAsync(StorageTables.ChannelRoutes, ChannelRoles.Tier2, "19:reviews@thread.tacv2", StorageJson.Serialize(Channel("19:reviews@thread.tacv2", "Tier 2 reviews")));
        await rows.UpsertAsync(StorageTables.ChannelRoutes, ChannelRoles.Community, theirs.ChannelId, StorageJson.Serialize(theirs));
        await rows.UpsertAsync(StorageTables.ReviewWaiting, "tier3", "tenant-b|FR-7", StorageJson.Serialize(new WaitingRequest("tenant-b", "FR-7")));
        await rows.UpsertAsync(StorageTables.ConversationReferences, "user", "aad-x", StorageJson.Serialize(Reference("a:1-conv-x")));
        await rows.UpsertAsync(StorageTables.ConversationReferences, "user", "aad-b", StorageJson.Serialize(Reference("a:1-conv-b") with { TenantId = null, Conversation = new ConversationAccount { Id = "a:1-conv-b", TenantId = "tenant-b" } }));
        await rows.UpsertAsync(StorageTables.ConversationReferences, "user", "29:emulator", StorageJson.Serialize(Reference("a:1-conv-e") with { TenantId = null, Conversation = new ConversationAccount { Id = "a:1-conv-e" } }));
        await rows.UpsertAsync(StorageTables.ConversationReferences, "channel", "19:chan@thread.tacv2", StorageJson.Serialize(Reference("19:chan@thread.tacv2")));

        var restarted = await Task.WhenAll(StartAgainAsync(), StartAgainAsync());
        await using var first = restarted[0];
        await using var second = restarted[1];

        var routing = first.Get<IChannelRoutingStore>();
        Assert.Equal([new ChannelRoute(ChannelRoles.Tier2, Channel("19:reviews@thread.tacv2", "Tier 2 reviews"))], await routing.ListAllAsync("tenant-a"));
        Assert.Equal([new ChannelRoute(ChannelRoles.Community, theirs)], await routing.ListAllAsync("tenant-b"));
        Assert.Equal(["tenant-a", "tenant-b"], (await routing.TenantsAsync()).Order(StringComparer.Ordinal));
        var waiting = new WaitingForChannel(rows);
        Assert.Equal([new WaitingRequest("tenant-b", "FR-7")], await waiting.ListAsync("tenant-b", 3, CancellationToken.None));
        Assert.Empty(await waiting.ListAsync("tenant-a", 3, CancellationToken.None));
        var references = first.Get<IConversationReferenceStore>();
        Assert.Equivalent(Reference("a:1-conv-x"), await references.GetForUserAsync("tenant-a", "aad-x", null), strict: true);
        Assert.Null(await references.GetForUserAsync("tenant-b", "aad-x", null));
        Assert.NotNull(await references.GetForUserAsync("tenant-b", "aad-b", null));
        Assert.NotNull(await references.GetForUserAsync(TurnExtensions.UnknownTenant, null, "29:emulator"));
        Assert.Equivalent(Reference("19:chan@thread.tacv2"), await references.GetForChannelAsync("tenant-a", "19:chan@thread.tacv2"), strict: true);
        foreach (var (table, partition) in new[]
                 {
                     (StorageTables.ChannelRoutes, ChannelRoles.Tier2), (StorageTables.ChannelRoutes, ChannelRoles.Community),
                     (StorageTables.ReviewWaiting, "tier3"), (StorageTables.ConversationReferences, "user"), (StorageTables.ConversationReferences, "channel"),
                 })
        {
            Assert.Empty(await rows.QueryAsync(table, partition, RowKeyRange.All, 10));
        }
    }

    [Fact]
    public async Task ARowAlreadyUnderItsTenantKeyIsKeptOverTheOldOneAndAnotherStartChangesNothing()
    {
        var rows = Host.Get<ITableRowStore>();
        await References.SaveForUserAsync("tenant-a", "aad-x", "29:x", Reference("a:1-conv-new"));
        await rows.UpsertAsync(StorageTables.ConversationReferences, "user", "aad-x", StorageJson.Serialize(Reference("a:1-conv-old")));

        await (await StartAgainAsync()).DisposeAsync();
        var stored = await rows.GetAsync(StorageTables.ConversationReferences, ConversationReferenceStore.UserPartition("tenant-a"), "aad-x");
        await (await StartAgainAsync()).DisposeAsync();

        Assert.Equivalent(Reference("a:1-conv-new"), await References.GetForUserAsync("tenant-a", "aad-x", null), strict: true);
        Assert.Equal(stored!.ETag, (await rows.GetAsync(StorageTables.ConversationReferences, ConversationReferenceStore.UserPartition("tenant-a"), "aad-x"))!.ETag);
        Assert.Null(await rows.GetAsync(StorageTables.ConversationReferences, "user", "aad-x"));
    }

    /// <summary>Another instance (or a restart) on the same store: it runs the start-up work again.</summary>
    private Task<StorageHost> StartAgainAsync() => StorageHost.StartAsync(StorageSettings(), Path.GetTempPath(), Clock);

    // ---- component catalogue and guideline acknowledgements ----

    [Fact]
    public async Task AComponentIsAddedOnceRetiredAndThenMayBeAddedAgain()
    {
        var approval = Component("Approval flow", "https://coe.example/a/b?c#d");

        Assert.True(await Catalogue.AddAsync("tenant-a", approval));
        Assert.False(await Catalogue.AddAsync("tenant-a", approval with { Description = "A second one" }));
        Assert.True(await Catalogue.AddAsync("tenant-b", approval));
        Assert.Equivalent(approval, await Catalogue.GetAsync("tenant-a", approval.Id), strict: true);

        Assert.True(await Catalogue.RetireAsync("tenant-a", approval.Id, T0.AddDays(1)));
        Assert.False(await Catalogue.RetireAsync("tenant-a", approval.Id, T0.AddDays(2)));
        Assert.False(await Catalogue.RetireAsync("tenant-a", "no such component", T0));
        Assert.Equal(T0.AddDays(1), (await Catalogue.GetAsync("tenant-a", approval.Id))!.RetiredAt);
        Assert.Null((await Catalogue.GetAsync("tenant-b", approval.Id))!.RetiredAt);

        var again = approval with { Description = "Rebuilt", AddedAt = T0.AddDays(3) };
        Assert.True(await Catalogue.AddAsync("tenant-a", again));
        Assert.Equivalent(new[] { again }, await Catalogue.ListAsync("tenant-a"), strict: true);
    }

    [Fact]
    public async Task ComponentUsesAreKeptOncePerRequestAndComponentWithTheFirstTime()
    {
        var maker = new Person("29:maker/1", "aad-maker", "Mia Maker");
        var first = new ComponentUse("approval flow", "FR-000001", maker, T0);

        Assert.True(await Catalogue.RecordUseAsync("tenant-a", first));
        Assert.False(await Catalogue.RecordUseAsync("tenant-a", first with { At = T0.AddDays(8) }));
        Assert.True(await Catalogue.RecordUseAsync("tenant-a", new ComponentUse("audit log", "FR-000001", maker, T0)));
        Assert.True(await Catalogue.RecordUseAsync("tenant-b", first));

        var uses = await Catalogue.ListUsesAsync("tenant-a");
        Assert.Equal([("approval flow", "FR-000001"), ("audit log", "FR-000001")], uses.Select(u => (u.ComponentId, u.RequestId)));
        Assert.Equal(T0, uses[0].At);
    }

    [Fact]
    public async Task ComponentOpensAreKeptOncePerComponentAndUserWithTheLatestTime()
    {
        await Catalogue.RecordOpenAsync("tenant-a", new ComponentOpen("approval flow", "aad-maker", T0));
        await Catalogue.RecordOpenAsync("tenant-a", new ComponentOpen("approval flow", "aad-maker", T0.AddHours(1)));
        await Catalogue.RecordOpenAsync("tenant-a", new ComponentOpen("approval flow", "29:maker/2#x", T0));
        await Catalogue.RecordOpenAsync("tenant-a", new ComponentOpen("ci/cd template", "aad-maker", T0));
        await Catalogue.RecordOpenAsync("tenant-b", new ComponentOpen("approval flow", "aad-maker", T0));

        var opens = await Catalogue.ListOpensAsync("tenant-a");
        Assert.Equal(3, opens.Count);
        Assert.Equal(T0.AddHours(1), opens.Single(o => o.ComponentId == "approval flow" && o.UserId == "aad-maker").At);
        Assert.Contains(opens, o => o.ComponentId == "ci/cd template");
        Assert.Contains(opens, o => o.UserId == "29:maker/2#x");
        Assert.Single(await Catalogue.ListOpensAsync("tenant-b"));
    }

    [Fact]
    public async Task AGuidelineAcknowledgementKeepsItsFirstTimePerUser()
    {
        var maker = new Person("29:maker/1", "aad-maker", "Mia Maker");

        Assert.Null(await Acknowledgements.GetAsync("tenant-a", maker.Id));
        await Acknowledgements.RecordAsync("tenant-a", new GuidelineAcknowledgement(maker, T0));
        await Acknowledgements.RecordAsync("tenant-a", new GuidelineAcknowledgement(maker, T0.AddDays(1)));

        Assert.Equal(new GuidelineAcknowledgement(maker, T0), await Acknowledgements.GetAsync("tenant-a", maker.Id));
        Assert.Null(await Acknowledgements.GetAsync("tenant-b", maker.Id));
    }

    // ---- the row primitive ----

    [Fact]
    public async Task RowsOfAPartitionAreReadByPrefixAndRangeInKeyOrderWithALimit()
    {
        var rows = Host.Get<ITableRowStore>();
        foreach (var key in new[] { "b|2", "a|1", "b|1", "b|3", "c|1" })
        {
            await rows.InsertAsync(StorageTables.DueWork, "p", key, "{}");
        }

        await rows.InsertAsync(StorageTables.DueWork, "q", "b|9", "{}");

        Assert.Equal(["b|1", "b|2", "b|3"], (await rows.QueryAsync(StorageTables.DueWork, "p", RowKeyRange.Prefix("b|"), 10)).Select(r => r.RowKey));
        Assert.Equal(["a|1", "b|1"], (await rows.QueryAsync(StorageTables.DueWork, "p", RowKeyRange.All, 2)).Select(r => r.RowKey));
        Assert.Equal(["b|2", "b|3", "c|1"], (await rows.QueryAsync(StorageTables.DueWork, "p", RowKeyRange.All.After("b|1"), 10)).Select(r => r.RowKey));
        Assert.Equal(["a|1"], (await rows.QueryAsync(StorageTables.DueWork, "p", RowKeyRange.Below("b"), 10)).Select(r => r.RowKey));
    }

    private static async Task<(GovernanceRequest? Updated, Exception? Error)> Outcome(Task<GovernanceRequest> update)
    {
        try
        {
            return (await update, null);
        }
        catch (ConcurrencyConflictException e)
        {
            return (null, e);
        }
    }

    private static RequestHistoryEvent HistoryEvent(string requestId, DateTimeOffset at, string action) => new()
    {
        RequestId = requestId,
        At = at,
        Action = action,
        Actor = new Person("29:reviewer", "aad-reviewer", "Reviewer"),
        StatusBefore = RequestStatus.PendingReview,
        StatusAfter = RequestStatus.Approved,
        TierBefore = 2,
        TierAfter = 2,
        Comment = action + " comment",
    };

    private static DueWorkItem Work(string id, DateTimeOffset dueAt, string? requestId = "FR-000001") => new()
    {
        Id = id,
        Kind = id.Split(':')[0],
        DueAt = dueAt,
        Payload = requestId is null ? "{}" : $"{{\"requestId\":\"{requestId}\"}}",
        RequestId = requestId,
    };

    private static ConversationReference Reference(string conversationId) => new()
    {
        ActivityId = "act-1",
        User = new ChannelAccount { Id = "29:user", Name = "User" },
        Bot = new ChannelAccount { Id = "28:bot", Name = "FusionBot" },
        Conversation = new ConversationAccount { Id = conversationId, TenantId = "tenant-a" },
        ChannelId = "msteams",
        ServiceUrl = "https://smba.example/emea/",
        TenantId = "tenant-a",
        Locale = "en-GB",
    };

    private static CatalogueComponent Component(string name, string link) => new()
    {
        Id = CatalogueComponent.IdOf(name),
        Name = name,
        Description = "Multi-stage approvals",
        Tags = ["approval", "expenses"],
        Tiers = [1, 2],
        Link = new Uri(link),
        Owner = "CoE platform team",
        AddedBy = new Person("29:admin", "aad-admin", "Ada Admin"),
        AddedAt = T0,
    };

    private static ChannelRegistration Channel(string id, string name) => new()
    {
        ChannelId = id,
        ChannelName = name,
        TeamId = "19:team@thread.tacv2",
        TeamName = "Pro developers",
        ServiceUrl = "https://smba.example/emea/",
        TenantId = "tenant-a",
        RegisteredBy = new Person("29:lead", "aad-lead", "CoE lead"),
        RegisteredAt = T0,
    };
}

public sealed record SampleState(string Step, int Answered);
