using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.TestSupport;
using DistillML.Torch.Modeling;
using DistillML.Torch.Pretraining;
using DistillML.Torch.Training;
using TorchSharp;

namespace DistillML.Torch.Tests.Pretraining;

public class MaskedLmTests
{
    static readonly Lazy<WordPieceVocabulary> Vocabulary = new(() => WordPieceVocabulary.Load(SharedAssets.BertVocab));
    static readonly Lazy<BertTextEncoder> Encoder = new(() => BertTextEncoder.Create(SharedAssets.BertVocab));

    static List<string> Contexts(int count) =>
        SquadDataset.Read(SharedAssets.Squad("dev-v1.1.json")).Select(e => e.Context).Distinct().Take(count).ToList();

    [Fact]
    public void Vocabulary_knows_special_ids_and_word_continuations()
    {
        var v = Vocabulary.Value;
        Assert.Equal(30522, v.Count);
        Assert.Equal((101, 102, 103, 0, 100), (v.ClsId, v.SepId, v.MaskId, v.PadId, v.UnkId));
        Assert.True(v.IsContinuation(v.IdOf("##ing")));
        Assert.False(v.IsContinuation(v.IdOf("hello")));
        Assert.True(v.IsSpecial(v.ClsId));
        Assert.False(v.IsSpecial(v.IdOf("[")));
    }

    [Fact]
    public void Masker_chooses_fifteen_percent_and_splits_them_eighty_ten_ten()
    {
        var v = Vocabulary.Value;
        var masker = new MaskedLmMasker(v, new MaskedLmOptions());
        var random = new Random(1);
        var sequences = Enumerable.Range(0, 400).Select(_ => new[] { v.ClsId }.Concat(Enumerable.Range(0, 126).Select(_ => random.Next(1000, 30000))).Append(v.SepId).ToArray()).ToList();
        var batch = masker.Mask(sequences, new Random(2));
        int chosen = 0, masked = 0, kept = 0;
        for (int i = 0; i < batch.InputIds.Length; i++)
        {
            if (batch.Labels[i] == MaskedLmMasker.Ignore) { Assert.Equal(sequences[i / 128][i % 128], batch.InputIds[i]); continue; }
            chosen++;
            if (batch.InputIds[i] == v.MaskId) masked++;
            else if (batch.InputIds[i] == batch.Labels[i]) kept++;
        }
        int tokens = 400 * 126;
        Assert.InRange(chosen / (double)tokens, 0.14, 0.16);
        Assert.InRange(masked / (double)chosen, 0.78, 0.82);
        Assert.InRange(kept / (double)chosen, 0.085, 0.115); // 10% unchanged, plus the rare random draw of the same id
        for (int r = 0; r < 400; r++) // [CLS] and [SEP] are never chosen
        {
            Assert.Equal(MaskedLmMasker.Ignore, batch.Labels[r * 128]);
            Assert.Equal(MaskedLmMasker.Ignore, batch.Labels[r * 128 + 127]);
        }
    }

    [Fact]
    public void Whole_word_masking_chooses_all_pieces_of_a_word_or_none()
    {
        var v = Vocabulary.Value;
        var ids = Encoder.Value.Encode("unbelievably transformational tokenization of electroencephalography").Ids;
        var seq = new[] { v.ClsId }.Concat(ids).Append(v.SepId).ToArray();
        var masker = new MaskedLmMasker(v, new MaskedLmOptions { WholeWordMasking = true, MaskProbability = 0.5 });
        var random = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            var batch = masker.Mask([seq], random);
            for (int c = 2; c < seq.Length - 1; c++)
                if (v.IsContinuation(seq[c]))
                    Assert.Equal(batch.Labels[c - 1] != MaskedLmMasker.Ignore, batch.Labels[c] != MaskedLmMasker.Ignore);
        }
    }

    [Fact]
    public void Chunks_are_framed_and_no_longer_than_the_sequence_length()
    {
        var v = Vocabulary.Value;
        var pretrainer = new MaskedLmPretrainer(Encoder.Value, v, new MaskedLmOptions { SequenceLength = 32 });
        var text = Contexts(1)[0];
        var chunks = pretrainer.Chunk([text]);
        Assert.All(chunks, c => { Assert.InRange(c.Length, 3, 32); Assert.Equal(v.ClsId, c[0]); Assert.Equal(v.SepId, c[^1]); });
        Assert.Equal(Encoder.Value.Encode(text).Ids, chunks.SelectMany(c => c[1..^1]));
    }

    [Fact]
    public void Pretraining_on_squad_contexts_lowers_the_masked_token_loss()
    {
        torch.manual_seed(11);
        var config = new BertConfig { NumLayers = 2, HiddenSize = 64, NumHeads = 4, IntermediateSize = 128, MaxPositionEmbeddings = 64, HiddenDropout = 0, AttentionDropout = 0 };
        using var model = new BertQaModel(config);
        var qaHead = model.state_dict()["qa_outputs.weight"].clone();
        var pretrainer = new MaskedLmPretrainer(Encoder.Value, Vocabulary.Value, new MaskedLmOptions
        {
            SequenceLength = 64, BatchSize = 16, MaxSteps = 120, Seed = 5,
            Optimization = new TrainingLoopOptions { LearningRate = 2e-3, WarmupFraction = 0.05 },
        });
        var report = pretrainer.Pretrain(model, Contexts(150));
        double first = report.LossCurve.Take(10).Average(p => p.Loss), last = report.LossCurve.TakeLast(10).Average(p => p.Loss);
        Assert.True(first > 9, $"an untrained model starts near ln(30522) = 10.3, got {first:F2}");
        Assert.True(last < first - 2.5, $"masked-token loss went from {first:F2} to {last:F2}");
        Assert.Equal(120, report.Steps);
        Assert.True(model.state_dict()["qa_outputs.weight"].allclose(qaHead, rtol: 0, atol: 0), "the QA head is not trained by MLM");
        Assert.Equal(config.CountQaParameters(), model.ParameterCount); // the MLM head left nothing behind
    }
}
