using System.Text.Json;

namespace DistillML.Text.Squad;

/// <summary>
/// Reads the SQuAD layout (<c>{"data": [{"title", "paragraphs": [{"context", "qas": [{"id", "question",
/// "answers": [{"text", "answer_start"}], "is_impossible"}]}]}]}</c>) token by token and yields validated examples.
/// At most one article is held in memory at a time (a paragraph's <c>qas</c> may come before its <c>context</c>,
/// and an article's <c>title</c> after its paragraphs). Unknown fields, <c>version</c> and SQuAD 2.0's
/// <c>plausible_answers</c> are skipped.
/// </summary>
internal sealed class SquadJsonParser(string path, JsonTokenStream json, SquadLoadOptions options)
{
    readonly Dictionary<string, long> _seenIds = new(StringComparer.Ordinal); // id -> line of its first use

    /// <summary>The examples of the file, in file order.</summary>
    public IEnumerable<SquadExample> Examples()
    {
        if (!json.Read()) throw Fatal("(json)", null, "the file is empty", null);
        if (json.TokenType != JsonTokenType.StartObject)
            throw Fatal("(root)", json.Text, "the top level must be a JSON object with a 'data' array", Here);
        bool sawData = false;
        while (NextProperty(out string name))
        {
            if (name != "data") { SkipPropertyValue(); continue; }
            json.Read();
            if (json.TokenType != JsonTokenType.StartArray)
                throw Fatal("data", Describe(), "'data' must be an array of articles", Here);
            sawData = true;
            int articleIndex = 0;
            while (json.Read() && json.TokenType != JsonTokenType.EndArray)
                foreach (var example in Article(articleIndex++)) yield return example;
        }
        if (!sawData) throw Fatal("data", null, "missing field 'data' (the array of articles)", null);
        while (json.Read()) { } // lets the reader reject anything after the root object
    }

    IEnumerable<SquadExample> Article(int articleIndex)
    {
        var where = Here;
        if (json.TokenType != JsonTokenType.StartObject)
        {
            string value = Describe();
            json.SkipValue();
            Report(null, "data", value, $"article #{articleIndex} must be a JSON object", where);
            yield break;
        }
        string title = "";
        List<RawParagraph>? paragraphs = null;
        Pending? problem = null;
        while (NextProperty(out string name))
        {
            if (name == "title") title = ReadString("title", ref problem) ?? "";
            else if (name == "paragraphs") paragraphs = ReadArray("paragraphs", ref problem, Paragraph);
            else SkipPropertyValue();
        }
        problem ??= paragraphs is null ? new Pending("paragraphs", null, "missing field 'paragraphs'", where) : null;
        if (problem is { } p)
        {
            Report(null, p.Field, p.Value, $"{p.Description} in article #{articleIndex} '{title}'", p.Where);
            yield break;
        }
        foreach (var paragraph in paragraphs!)
            foreach (var example in Build(title, paragraph)) yield return example;
    }

    RawParagraph Paragraph()
    {
        var paragraph = new RawParagraph(Here);
        if (json.TokenType != JsonTokenType.StartObject)
        {
            paragraph.Problem = new Pending("paragraphs", Describe(), "a paragraph must be a JSON object", Here);
            json.SkipValue();
            return paragraph;
        }
        while (NextProperty(out string name))
        {
            if (name == "context") paragraph.Context = ReadString("context", ref paragraph.Problem);
            else if (name == "qas") paragraph.Questions = ReadArray("qas", ref paragraph.Problem, Question);
            else SkipPropertyValue();
        }
        if (paragraph.Questions is null)
            paragraph.Problem ??= new Pending("qas", null, "missing field 'qas'", paragraph.Where);
        return paragraph;
    }

    RawQuestion Question()
    {
        var question = new RawQuestion(Here);
        if (json.TokenType != JsonTokenType.StartObject)
        {
            question.Problem = new Pending("qas", Describe(), "a question must be a JSON object", Here);
            json.SkipValue();
            return question;
        }
        while (NextProperty(out string name))
        {
            switch (name)
            {
                case "id": question.Id = ReadString("id", ref question.Problem); break;
                case "question": question.Question = ReadString("question", ref question.Problem); break;
                case "answers": question.Answers = ReadArray("answers", ref question.Problem, () => Answer(ref question.Problem)); break;
                case "is_impossible":
                    json.Read();
                    if (json.TokenType is JsonTokenType.True or JsonTokenType.False) question.IsImpossible = json.TokenType == JsonTokenType.True;
                    else { question.Problem ??= new Pending("is_impossible", Describe(), "expected true or false", Here); json.SkipValue(); }
                    break;
                default: SkipPropertyValue(); break; // plausible_answers, ...
            }
        }
        return question;
    }

    RawAnswer Answer(ref Pending? problem)
    {
        var answer = new RawAnswer(Here);
        if (json.TokenType != JsonTokenType.StartObject)
        {
            problem ??= new Pending("answers", Describe(), "an answer must be a JSON object", Here);
            json.SkipValue();
            return answer;
        }
        while (NextProperty(out string name))
        {
            if (name == "text") answer.Text = ReadString("text", ref problem);
            else if (name == "answer_start")
            {
                json.Read();
                answer.StartWhere = Here;
                answer.StartText = Describe();
                if (json.TokenType == JsonTokenType.Number && json.Int32Value is { } start) answer.Start = start;
                else { problem ??= new Pending("answer_start", Describe(), "expected an integer character offset", Here); json.SkipValue(); }
            }
            else SkipPropertyValue();
        }
        return answer;
    }

    IEnumerable<SquadExample> Build(string title, RawParagraph paragraph)
    {
        if (paragraph.Problem is { } p)
        {
            Report(null, p.Field, p.Value, $"{p.Description} (article '{title}')", p.Where);
            yield break;
        }
        foreach (var question in paragraph.Questions!)
        {
            var example = SquadQuestionValidator.Validate(title, paragraph, question, _seenIds, out var problem);
            if (example is not null) yield return example;
            else Report(question.Id, problem!.Field, problem.Value, problem.Description, problem.Where);
        }
    }

    // --- token helpers -------------------------------------------------------------------------

    JsonPos Here => new(json.Line, json.BytePosition);

    bool NextProperty(out string name)
    {
        json.Read();
        name = json.TokenType == JsonTokenType.PropertyName ? json.Text : "";
        return json.TokenType == JsonTokenType.PropertyName;
    }

    void SkipPropertyValue()
    {
        json.Read();
        json.SkipValue();
    }

    string? ReadString(string field, ref Pending? problem)
    {
        json.Read();
        if (json.TokenType == JsonTokenType.String) return json.Text;
        problem ??= new Pending(field, Describe(), "expected a string", Here);
        json.SkipValue();
        return null;
    }

    List<T>? ReadArray<T>(string field, ref Pending? problem, Func<T> item)
    {
        json.Read();
        if (json.TokenType != JsonTokenType.StartArray)
        {
            problem ??= new Pending(field, Describe(), "expected an array", Here);
            json.SkipValue();
            return null;
        }
        var items = new List<T>();
        while (json.Read() && json.TokenType != JsonTokenType.EndArray) items.Add(item());
        return items;
    }

    string Describe() => json.TokenType switch
    {
        JsonTokenType.String => SquadText.Quote(json.Text),
        JsonTokenType.StartObject => "{...}",
        JsonTokenType.StartArray => "[...]",
        _ => json.Text,
    };

    void Report(string? id, string field, string? value, string description, JsonPos? where)
    {
        var problem = new SquadProblem(path, id, field, value, description, where?.Line, where?.Byte);
        if (options.OnInvalidQuestion == InvalidQuestionHandling.Throw) throw new SquadFormatException(problem);
        options.Problems.Add(problem);
    }

    SquadFormatException Fatal(string field, string? value, string description, JsonPos? where) =>
        new(new SquadProblem(path, null, field, value, description, where?.Line, where?.Byte));
}
