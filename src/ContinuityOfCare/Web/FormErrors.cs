using ContinuityOfCare.Http;

namespace ContinuityOfCare.Web;

/// <summary>
/// A form's errors in the GOV.UK pattern: a summary at the top linking to each field, and the message beside the
/// field. The messages are the API's own (the same checks make them), after the field's label; the summary lists them
/// in the order of the fields as given (the form's order).
/// </summary>
public sealed class FormErrors(IReadOnlyDictionary<string, (string Id, string Label)> fields)
{
    private readonly List<(string Field, string Message)> _errors = [];

    public bool Any => _errors.Count > 0;

    public FormErrors Add(ValidationErrors errors)
    {
        foreach (var (field, messages) in errors.ToDictionary())
        {
            _errors.AddRange(messages.Select(m => (field, m)));
        }

        return this;
    }

    public IEnumerable<(string Href, string Text)> Summary =>
        _errors.OrderBy(e => Position(e.Field)).Select(e => ("#" + Id(e.Field), Text(e.Field, e.Message)));

    /// <summary>The message for a field (its first), or null.</summary>
    public string? For(string field) =>
        _errors.Where(e => e.Field == field).Select(e => Text(e.Field, e.Message)).FirstOrDefault();

    private readonly List<string> _order = [.. fields.Keys];

    private int Position(string field) => _order.IndexOf(field) is var i and >= 0 ? i : _order.Count;

    private string Id(string field) => fields.TryGetValue(field, out var f) ? f.Id : field;

    private string Text(string field, string message) =>
        $"{(fields.TryGetValue(field, out var f) ? f.Label : field)} {message}";
}
