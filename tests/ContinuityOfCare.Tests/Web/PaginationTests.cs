using ContinuityOfCare.Web;

namespace ContinuityOfCare.Tests.Web;

public sealed class PaginationTests
{
    [Theory]
    [InlineData("1", 23, false, "Showing 1 to 20 of 23 handovers.")]
    [InlineData("2", 23, false, "Showing 21 to 23 of 23 handovers.")]
    [InlineData("2", 21, false, "Showing 21 of 21 handovers.")]
    [InlineData(null, 1, false, "Showing 1 of 1 handover.")]
    [InlineData("3", 1000, true, "Showing 41 to 60 of more than 1,000 handovers.")]
    [InlineData("51", 1001, false, "Showing 1,001 of 1,001 handovers.")]
    public void A_page_says_which_of_the_list_it_shows_in_words_fitted_to_the_number(
        string? asked, int total, bool more, string expected) =>
        Assert.Equal(
            expected, Pagination.Of(asked, total, 20, n => $"?page={n}").Showing("handover", "handovers", more));
}
