using static TorchSharp.torch;

namespace DistillML.Torch.Modeling;

/// <summary>Runs a stack of transformer layers, collecting hidden states and attentions as Hugging Face does.</summary>
internal static class LayerStack
{
    public static EncoderOutput Run<TLayer>(
        IEnumerable<TLayer> layers, Tensor hidden, Tensor bias, bool returnHidden, bool returnAttentions,
        Func<TLayer, Tensor, Tensor, (Tensor Output, Tensor? Probabilities)> step)
    {
        var hiddenStates = returnHidden ? new List<Tensor> { hidden } : null;
        var attentions = returnAttentions ? new List<Tensor>() : null;
        foreach (var layer in layers)
        {
            var (output, probabilities) = step(layer, hidden, bias);
            hidden = output;
            hiddenStates?.Add(hidden);
            attentions?.Add(probabilities!); // the eager path runs whenever attentions are requested
        }
        return new EncoderOutput(hidden, hiddenStates, attentions);
    }
}
