using DistillML.TestSupport;
using DistillML.Tuning.Objectives;
using DistillML.Tuning.Storage.Tests.Support;
using StoreWorker;

namespace DistillML.Tuning.Storage.Tests;

public sealed class StudyTests
{
    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Creating_a_study_twice_returns_the_same_study_with_its_objectives_and_description(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var name = TestStore.UniqueStudy();

        var created = await store.CreateOrOpenStudyAsync(FakeProblem.Study(name));
        var reopened = await store.CreateOrOpenStudyAsync(FakeProblem.Study(name));

        Assert.Equal(created.Id, reopened.Id);
        Assert.Equal([new StudyObjective("loss", ObjectiveDirection.Minimize), new StudyObjective("size", ObjectiveDirection.Minimize)], reopened.Objectives);
        Assert.Contains("\"layers\"", reopened.DescriptionJson);
        Assert.Contains(name, (await store.ListStudiesAsync()).Select(s => s.Name));
        Assert.Equal(created.Id, (await store.GetStudyAsync(name))!.Id);
        Assert.Null(await store.GetStudyAsync(name + "-missing"));
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Reopening_a_study_with_other_objectives_is_refused(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();
        var name = TestStore.UniqueStudy();
        await store.CreateOrOpenStudyAsync(FakeProblem.Study(name));

        var other = new StudyDefinition(name, [new StudyObjective("f1", ObjectiveDirection.Maximize)]);
        var e = await Assert.ThrowsAsync<TrialStoreException>(() => store.CreateOrOpenStudyAsync(other));

        Assert.Contains(name, e.Message);
        Assert.Contains("f1 (Maximize)", e.Message);
    }

    [Theory]
    [MemberData(nameof(StoreBackends.All), MemberType = typeof(StoreBackends))]
    public async Task Using_a_missing_study_names_it_and_the_store(string backend)
    {
        await using var test = await TestStore.CreateAsync(backend);
        await using var store = await test.OpenAsync();

        var e = await Assert.ThrowsAsync<TrialStoreException>(() => store.ClaimNextTrialAsync("no-such-study", "w", Proposals.ByNumber));

        Assert.Contains("no-such-study", e.Message);
        Assert.Contains(store.Description, e.Message);
    }
}
