using ContinuityOfCare.Continuity;
using Marten;
using Microsoft.Extensions.Configuration;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>The "Continuity" settings as the service reads them at start: defaults, values, and refusals.</summary>
public sealed class ContinuitySettingsTests
{
    [Fact]
    public void The_projection_takes_up_to_100000_events_at_once_unless_told_otherwise()
    {
        Assert.Equal(100_000, Read().ProjectionBatchSize);
        Assert.Equal(20_000, Read(("ProjectionBatchSize", "20000")).ProjectionBatchSize);
    }

    [Theory]
    [InlineData("999")]
    [InlineData("1000001")]
    public void A_batch_size_out_of_range_stops_the_start_naming_the_setting(string value)
    {
        var refused = Assert.Throws<InvalidSettingsException>(() => Read(("ProjectionBatchSize", value)));
        Assert.Equal("Continuity:ProjectionBatchSize must be 1000 to 1000000", refused.Message);
    }

    [Fact]
    public void The_cohort_projection_is_configured_with_the_batch_size_and_a_hopper_of_two_batches()
    {
        var opts = new StoreOptions();
        opts.AddContinuity(Read(("ProjectionBatchSize", "30000")));

        var projection = Assert.Single(opts.Projections.All, p => p.Name == nameof(ReleaseCohortProjection));
        Assert.Equal(30_000, projection.Options.BatchSize);
        Assert.Equal(60_000, projection.Options.MaximumHopperSize);
    }

    private static ContinuitySettings Read(params (string Key, string Value)[] values) =>
        ContinuitySettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(
                values.ToDictionary(v => $"{ContinuitySettings.Section}:{v.Key}", v => (string?)v.Value))
            .Build());
}
