using System.Text;
using System.Text.Json;

namespace DistillML.Text.Squad;

/// <summary>
/// Pulls JSON tokens one at a time from a <see cref="Stream"/> with <see cref="Utf8JsonReader"/>, refilling a small
/// buffer as it goes, so that no file is ever held whole in memory. Each token's value is materialized
/// (strings decoded, integers parsed) and its line and absolute byte offset are kept for error messages.
/// </summary>
internal sealed class JsonTokenStream : IDisposable
{
    readonly Stream _stream;
    readonly Func<string, long?, long?, Exception, Exception> _onMalformed;
    byte[] _buffer = new byte[1 << 16];
    int _start, _end;
    bool _final, _atStart = true;
    JsonReaderState _state;
    long _offsetOfStart;   // absolute byte offset of _buffer[_start]
    long _linesBeforeStart; // newlines before _buffer[_start]

    /// <param name="stream">The decompressed JSON bytes; disposed with this object.</param>
    /// <param name="onMalformed">Builds the exception thrown for malformed JSON from (message, line, byte, inner).</param>
    public JsonTokenStream(Stream stream, Func<string, long?, long?, Exception, Exception> onMalformed)
    {
        _stream = stream;
        _onMalformed = onMalformed;
        _state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
    }

    /// <summary>The current token's type.</summary>
    public JsonTokenType TokenType { get; private set; }

    /// <summary>The current token's nesting depth (the root value is at depth 0).</summary>
    public int Depth { get; private set; }

    /// <summary>The decoded value of a string or property-name token; the raw text of a number; "true"/"false"/"null".</summary>
    public string Text { get; private set; } = "";

    /// <summary>The value of a number token that is an integer within Int32's range, else null.</summary>
    public int? Int32Value { get; private set; }

    /// <summary>One-based line of the current token.</summary>
    public long Line { get; private set; }

    /// <summary>Zero-based absolute byte offset of the current token.</summary>
    public long BytePosition { get; private set; }

    /// <summary>Moves to the next token; false at the end of the input. Malformed JSON throws through the callback.</summary>
    public bool Read()
    {
        while (true)
        {
            if (_atStart && !SkipByteOrderMark()) continue;
            var span = new ReadOnlySpan<byte>(_buffer, _start, _end - _start);
            var reader = new Utf8JsonReader(span, _final, _state);
            bool ok;
            try
            {
                ok = reader.Read();
                if (ok) Capture(ref reader, span);
            }
            catch (JsonException e)
            {
                string column = e.BytePositionInLine is { } c ? $" (byte {c} of the line)" : "";
                throw _onMalformed($"not well-formed JSON: {StripPosition(e.Message)}{column}", e.LineNumber + 1, null, e);
            }
            catch (InvalidOperationException e)
            {
                throw _onMalformed($"not well-formed JSON text: {e.Message}", Line, BytePosition, e);
            }
            Advance(span, (int)reader.BytesConsumed);
            _state = reader.CurrentState;
            if (ok) return true;
            if (_final) return false;
            Refill();
        }
    }

    /// <summary>Skips the current value: a whole object or array when positioned on its start, else nothing.</summary>
    public void SkipValue()
    {
        if (TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return;
        int depth = Depth;
        while (Read())
            if (Depth == depth && TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray) return;
    }

    void Capture(ref Utf8JsonReader reader, ReadOnlySpan<byte> span)
    {
        TokenType = reader.TokenType;
        Depth = reader.CurrentDepth;
        int tokenStart = (int)reader.TokenStartIndex;
        BytePosition = _offsetOfStart + tokenStart;
        Line = 1 + _linesBeforeStart + span[..tokenStart].Count((byte)'\n');
        Int32Value = null;
        switch (TokenType)
        {
            case JsonTokenType.PropertyName:
            case JsonTokenType.String:
                Text = reader.GetString()!;
                break;
            case JsonTokenType.Number:
                Text = Encoding.UTF8.GetString(reader.ValueSpan);
                if (reader.TryGetInt32(out int i)) Int32Value = i;
                break;
            case JsonTokenType.True: Text = "true"; break;
            case JsonTokenType.False: Text = "false"; break;
            case JsonTokenType.Null: Text = "null"; break;
            default: Text = ""; break;
        }
    }

    void Advance(ReadOnlySpan<byte> span, int consumed)
    {
        _linesBeforeStart += span[..consumed].Count((byte)'\n');
        _offsetOfStart += consumed;
        _start += consumed;
    }

    bool SkipByteOrderMark()
    {
        if (_end - _start < 3 && !_final) { Refill(); return false; }
        _atStart = false;
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (_buffer.AsSpan(_start, _end - _start).StartsWith(bom)) { _start += 3; _offsetOfStart += 3; }
        return true;
    }

    void Refill()
    {
        int remaining = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, remaining);
            _start = 0;
            _end = remaining;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _final = true;
        _end += read;
    }

    static string StripPosition(string message)
    {
        int i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return i < 0 ? message : message[..i].TrimEnd();
    }

    public void Dispose() => _stream.Dispose();
}
