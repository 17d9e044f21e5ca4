using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling;

/// <summary>
/// The run-time choices a model's modules read at every forward: precision and attention kernel. One instance is owned
/// by a <see cref="BertQaModel"/> and shared by all of its modules (as transformers' modules read
/// <c>config._attn_implementation</c>), so setting it on the model reaches every layer. Not part of the checkpoint.
/// Precision and the hidden-states request also take scoped overrides seen only by the flow that opened them
/// (<see cref="UsePrecision"/>, <see cref="UseHiddenStates"/>), so that concurrent fits can share one teacher.
/// </summary>
public sealed class ComputeSettings
{
    private readonly FlowScopedSetting<Precision> precision = new(Precision.Float32);
    private readonly FlowScopedSetting<bool> hiddenStates = new(false);

    /// <summary>
    /// The precision of the matmuls: this flow's innermost <see cref="UsePrecision"/> scope, else the shared value
    /// (which setting changes). Default <see cref="Modeling.Precision.Float32"/>.
    /// </summary>
    public Precision Precision
    {
        get => precision.Value;
        set => precision.Shared = value;
    }

    /// <summary>Makes <see cref="Precision"/> <paramref name="value"/> for the calling flow only, until the scope is disposed.</summary>
    public IDisposable UsePrecision(Precision value) => precision.Use(value);

    /// <summary>Whether the encoder returns every layer's hidden states: this flow's scope, else the shared value. Default false.</summary>
    public bool ReturnHiddenStates
    {
        get => hiddenStates.Value;
        set => hiddenStates.Shared = value;
    }

    /// <summary>Makes <see cref="ReturnHiddenStates"/> <paramref name="value"/> for the calling flow only, until the scope is disposed.</summary>
    public IDisposable UseHiddenStates(bool value) => hiddenStates.Use(value);

    /// <summary>The attention kernel. Default <see cref="AttentionImplementation.Auto"/>.</summary>
    public AttentionImplementation Attention { get; set; } = AttentionImplementation.Auto;

    /// <summary>Set by the encoder when attention probabilities are requested: forces the eager path.</summary>
    internal bool ReturnAttentions { get; set; }

    /// <summary>The dtype the matmuls run in.</summary>
    internal ScalarType MatmulType => Precision == Precision.BFloat16Mixed ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>
    /// <paramref name="x"/> in the matmul dtype; cast once before several projections of the same input (q, k, v) so
    /// the cast is paid once. A no-op in float32 and for tensors already in that dtype.
    /// </summary>
    internal Tensor ToMatmul(Tensor x) => x.dtype == MatmulType || !x.is_floating_point() ? x : x.to_type(MatmulType);

    /// <summary>
    /// <paramref name="layer"/> applied to <paramref name="x"/> in the matmul dtype. In bfloat16 the weight and bias are
    /// cast on every call (autograd routes their gradients to the float32 parameters); the output stays bfloat16, as
    /// under autocast, and becomes float32 again where it meets the float32 residual stream.
    /// </summary>
    internal Tensor Project(Linear layer, Tensor x)
    {
        if (Precision == Precision.Float32) return layer.call(x);
        var type = MatmulType;
        return nn.functional.linear(ToMatmul(x), layer.weight!.to_type(type), layer.bias?.to_type(type));
    }
}
