using ContinuityOfCare.Http;

namespace ContinuityOfCare.Web;

/// <summary>
/// A form's errors in the GOV.UK pattern: a summary at the top linking to each field, and the message beside the
/// field. The messages are the API's own (the same checks make them), after the field's label.
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
        _errors.Select(e => ("#" + Id(e.Field), Text(e.Field, e.Message)));

    /// <summary>The message for a field (its first), or null.</summary>
    public string? For(string field) =>
        _errors.Where(e => e.Field == field).Select(e => Text(e.Field, e.Message)).FirstOrDefault();

    private string Id(string field) => fields.TryGetValue(field, out var f) ? f.Id : field;

    private string Text(string field, string message) => $"{(fields.TryGetValue(field, out var f) ? f.Label : field)} {message}";
}
