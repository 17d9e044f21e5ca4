using DistillML.Torch.Distillation;
using DistillML.Tuning.SearchSpace;

namespace DistillML.Experiments;

/// <summary>
/// What a point of a student search space means: the student's shape and its distillation settings. Names follow
/// <see cref="StudentSearchSpace.DistilBertLike"/> (layers, heads, head_size, intermediate_multiple, dropout,
/// attention_dropout, learning_rate, temperature, alpha_ce, warmup_fraction, weight_decay) and
/// <see cref="StudentSearchSpaces.ScaledTo"/> ("init": teacher or random; "embedding_size": below the student's
/// width, an ELECTRA student with factorised embeddings that wide); "hidden" and "intermediate" may be given
/// directly instead; a name the space lacks takes its default.
/// </summary>
/// <param name="Architecture">The student's shape (DistilBERT family, ELECTRA with factorised embeddings).</param>
/// <param name="LearningRate">Peak AdamW learning rate.</param>
/// <param name="Temperature">Softmax temperature of the soft targets.</param>
/// <param name="AlphaCe">Weight of the soft-target term; the label term gets 1 - AlphaCe.</param>
/// <param name="WarmupFraction">Fraction of the steps spent warming up.</param>
/// <param name="WeightDecay">Decoupled weight decay.</param>
public sealed record StudentTrialSettings(StudentArchitecture Architecture, double LearningRate, double Temperature, double AlphaCe,
    double WarmupFraction, double WeightDecay)
{
    /// <summary>Weight of the label cross-entropy: 1 - <see cref="AlphaCe"/>.</summary>
    public double AlphaSquad => 1 - AlphaCe;

    /// <summary>
    /// How the student starts, when the point chose it ("init": <see cref="StudentSearchSpaces.TeacherInit"/> gives
    /// <see cref="StudentInitialization.TeacherTruncated"/>, <see cref="StudentSearchSpaces.RandomInit"/> gives
    /// <see cref="StudentInitialization.Random"/>); null leaves it to the experiment's
    /// <see cref="DistillationExperimentOptions.Initialization"/>.
    /// </summary>
    public StudentInitialization? Initialization { get; init; }

    /// <summary>As <see cref="From"/>, or null when the parameter describes an impossible student.</summary>
    public static StudentTrialSettings? TryFrom(Parameter parameter, int maxPositions = 512)
    {
        try { return From(parameter, maxPositions); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>Reads a proposed parameter; <paramref name="maxPositions"/> is the student's position-embedding count.</summary>
    /// <exception cref="ArgumentException">The shape is impossible (hidden not a multiple of heads, sizes below 1).</exception>
    public static StudentTrialSettings From(Parameter parameter, int maxPositions = 512)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        int heads = Int(parameter, "heads", 6);
        int hidden = parameter.ContainsKey("hidden") ? parameter.GetInt32("hidden") : heads * Int(parameter, "head_size", 64);
        int intermediate = parameter.ContainsKey("intermediate") ? parameter.GetInt32("intermediate") : Int(parameter, "intermediate_multiple", 4) * hidden;
        if (heads < 1 || hidden < 1 || intermediate < 1 || hidden % heads != 0)
            throw new ArgumentException($"Parameter {parameter} gives an impossible student: hidden {hidden}, heads {heads}, intermediate {intermediate}.", nameof(parameter));
        int? embedding = parameter.ContainsKey("embedding_size") ? parameter.GetInt32("embedding_size") : null;
        if (embedding is < 2)
            throw new ArgumentException($"Parameter {parameter} gives an impossible student: embedding_size {embedding}.", nameof(parameter));
        var architecture = StudentArchitecture.WithEmbeddings(Int(parameter, "layers", 4), hidden, heads, intermediate,
            Double(parameter, "dropout", 0.1), Double(parameter, "attention_dropout", 0.1), maxPositions, embedding);
        return new StudentTrialSettings(architecture, Double(parameter, "learning_rate", 5e-5), Double(parameter, "temperature", 2),
            Math.Clamp(Double(parameter, "alpha_ce", 0.5), 0, 1), Double(parameter, "warmup_fraction", 0.1), Double(parameter, "weight_decay", 0.01))
        {
            Initialization = parameter.ContainsKey("init") ? ReadInitialization(parameter.GetString("init")) : null,
        };
    }

    private static StudentInitialization ReadInitialization(string value) => value switch
    {
        StudentSearchSpaces.TeacherInit => StudentInitialization.TeacherTruncated,
        StudentSearchSpaces.RandomInit => StudentInitialization.Random,
        _ => throw new ArgumentException($"Unknown init '{value}': expected {StudentSearchSpaces.TeacherInit} or {StudentSearchSpaces.RandomInit}.", "parameter"),
    };

    /// <summary>The exact weight count of the student for a vocabulary of <paramref name="vocabularySize"/> word pieces.</summary>
    public long ParameterCount(int vocabularySize) =>
        Architecture.ToConfig(new Torch.Modeling.BertConfig { VocabSize = vocabularySize }).CountQaParameters();

    /// <summary>A short description: "L4 H384 A6 I1536", with " E128" for factorised embeddings.</summary>
    public string Shape => Architecture.Shape;

    /// <summary>"teacher", "random", or "" when the point did not choose.</summary>
    public string InitName => Initialization switch
    {
        null => "",
        StudentInitialization.Random => StudentSearchSpaces.RandomInit,
        _ => StudentSearchSpaces.TeacherInit,
    };

    private static int Int(Parameter p, string name, int fallback) => p.ContainsKey(name) ? p.GetInt32(name) : fallback;

    private static double Double(Parameter p, string name, double fallback) => p.ContainsKey(name) ? p.GetDouble(name) : fallback;
}
