using DistillML.Cli.Reports;

namespace DistillML.Cli.Tests;

public sealed class ParetoPlotTests
{
    [Fact]
    public void The_front_is_drawn_as_the_staircase_that_bounds_what_its_members_attain()
    {
        var corners = ParetoPlot.Staircase([(17.2, 59.9), (2.1, 11.0), (12.0, 36.5)]);

        Assert.Equal([(2.1, 11.0), (12.0, 11.0), (12.0, 36.5), (17.2, 36.5), (17.2, 59.9)], corners);
    }

    [Fact]
    public void A_front_of_one_member_is_that_member()
    {
        Assert.Equal([(4.0, 10.0)], ParetoPlot.Staircase([(4.0, 10.0)]));
    }
}
