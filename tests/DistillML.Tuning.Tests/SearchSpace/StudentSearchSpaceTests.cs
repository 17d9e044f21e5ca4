using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Tests.SearchSpace;

public class StudentSearchSpaceTests
{
    [Fact]
    public void Hidden_size_is_always_heads_times_head_size_within_the_ranges()
    {
        var space = StudentSearchSpace.DistilBertLike();
        var rng = new Random(3);
        for (var i = 0; i < 500; i++)
        {
            var p = space.SampleFromFeatureSpace(Enumerable.Range(0, space.FeatureCount).Select(_ => rng.NextDouble()).ToArray());
            var hidden = StudentSearchSpace.Hidden(p);
            Assert.Equal(0, hidden % p.GetInt32("heads"));
            Assert.InRange(p.GetInt32("layers"), 1, 6);
            Assert.InRange(p.GetDouble("learning_rate"), 1e-5, 1e-3);
            Assert.InRange(p.GetDouble("alpha_ce"), 0, 1);
        }
    }

    [Fact]
    public void Parameter_count_of_distilbert_base_matches_its_published_66_million()
    {
        // distilbert-base-uncased (DistilBertModel) has 66,362,880 weights; the QA head adds 768 * 2 + 2.
        var p = new Parameter(new Dictionary<string, object>
        {
            ["layers"] = 6, ["heads"] = 12, ["head_size"] = 64, ["intermediate_multiple"] = 4,
        });
        Assert.Equal(66_362_880L + 1_538L, StudentSearchSpace.ParameterCount(p));
    }
}
