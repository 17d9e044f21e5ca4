using System.Diagnostics;
using DistillML.Text.Features;
using DistillML.Torch.Modeling;
using DistillML.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Pretraining;

/// <summary>
/// Masked-language-model pretraining of a <see cref="BertQaModel"/>'s encoder on raw texts (for SQuAD, its
/// contexts): texts are WordPiece-encoded, cut into [CLS] chunk [SEP] sequences, masked per batch and the
/// encoder learns to restore them through a head tied to its word embeddings. The QA head is untouched; fine-tune
/// it afterwards with <c>BertQaTrainer</c>. No pretrained weights can be downloaded on some machines, and pretraining
/// on the task's own corpus is a real technique in its own right, so this is how a teacher starts from scratch.
/// </summary>
public sealed class MaskedLmPretrainer(BertTextEncoder encoder, WordPieceVocabulary vocabulary, MaskedLmOptions? options = null)
{
    private readonly MaskedLmOptions options = (options ?? new MaskedLmOptions()).Validate();

    /// <summary>Cuts <paramref name="texts"/> into token sequences of at most <see cref="MaskedLmOptions.SequenceLength"/>, with [CLS] and [SEP].</summary>
    public List<int[]> Chunk(IEnumerable<string> texts)
    {
        int body = options.SequenceLength - 2;
        var chunks = new List<int[]>();
        foreach (string text in texts)
        {
            var ids = encoder.Encode(text).Ids;
            for (int start = 0; start < ids.Count; start += body)
            {
                int n = Math.Min(body, ids.Count - start);
                var seq = new int[n + 2];
                seq[0] = vocabulary.ClsId;
                for (int i = 0; i < n; i++) seq[i + 1] = ids[start + i];
                seq[^1] = vocabulary.SepId;
                chunks.Add(seq);
            }
        }
        return chunks;
    }

    /// <summary>Pretrains <paramref name="model"/>'s encoder on <paramref name="texts"/>.</summary>
    public MaskedLmReport Pretrain(BertQaModel model, IEnumerable<string> texts, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (model.Config.VocabSize != vocabulary.Count)
            throw new ArgumentException($"The model's vocab_size {model.Config.VocabSize} differs from the vocabulary's {vocabulary.Count} tokens ({vocabulary.Path}).", nameof(model));
        var chunks = Chunk(texts);
        if (chunks.Count == 0) throw new ArgumentException("The corpus is empty: no text produced a token.", nameof(texts));
        int batchesPerEpoch = (chunks.Count + options.BatchSize - 1) / options.BatchSize;
        int steps = options.MaxSteps ?? Math.Max(1, batchesPerEpoch * options.Epochs / options.Optimization.GradientAccumulationSteps);

        using var generator = new Generator((ulong)options.Seed); // the head's init and the dropout, apart from other fits in the process
        using var ownRandomness = model.UseGenerator(generator);
        var trainable = new MaskedLmModel(model, generator);
        var masker = new MaskedLmMasker(vocabulary, options);
        var random = new Random(options.Seed);
        var device = model.Device;
        var clock = Stopwatch.StartNew();
        var curve = new TrainingLoop(trainable, options.Optimization, "mlm").Run(
            Batches(chunks, masker, random), steps,
            batch => trainable.Loss(
                tensor(batch.InputIds, [batch.Rows, batch.Columns], device: device),
                tensor(batch.AttentionMask, [batch.Rows, batch.Columns], device: device),
                tensor(batch.Labels, [batch.Rows, batch.Columns], device: device)),
            batch => batch.Rows, progress: progress, cancellationToken: cancellationToken);
        trainable.DisposeHead(); // the encoder belongs to the QA model and lives on
        model.eval();
        double seconds = clock.Elapsed.TotalSeconds;
        return new MaskedLmReport(steps, chunks.Count, curve, clock.Elapsed, steps * options.Optimization.GradientAccumulationSteps * options.BatchSize / Math.Max(seconds, 1e-9));
    }

    private IEnumerable<MaskedLmBatch> Batches(List<int[]> chunks, MaskedLmMasker masker, Random random)
    {
        var order = Enumerable.Range(0, chunks.Count).ToArray();
        while (true) // epochs until the loop has its steps; masks are drawn afresh each epoch (dynamic masking, as RoBERTa)
        {
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                var rows = order.Skip(start).Take(options.BatchSize).Select(i => chunks[i]).ToList();
                yield return masker.Mask(rows, random);
            }
        }
    }

    /// <summary>The encoder and the MLM head as one module, so the loop optimises both (the decoder is tied, so counted once).</summary>
    private sealed class MaskedLmModel : nn.Module
    {
        private readonly BertQaModel model;
        private readonly MaskedLmHead head;

        public MaskedLmModel(BertQaModel model, Generator generator) : base("BertForMaskedLM")
        {
            this.model = model;
            head = new MaskedLmHead(model.Config, model.WordEmbeddings, generator);
            register_module("encoder", model.Encoder);
            register_module("cls", head);
        }

        public Tensor Loss(Tensor inputIds, Tensor attentionMask, Tensor labels)
        {
            var hidden = model.Encoder.call(inputIds, attentionMask, null).LastHiddenState;
            var positions = labels.view(-1).ne(MaskedLmMasker.Ignore).nonzero().squeeze(1);
            if (positions.shape[0] == 0) return (hidden.sum() * 0); // nothing chosen in this batch (tiny batches only)
            var picked = hidden.view(-1, hidden.shape[2]).index_select(0, positions);
            return nn.functional.cross_entropy(head.call(picked), labels.view(-1).index_select(0, positions));
        }

        public void DisposeHead() => head.Dispose();
    }
}
