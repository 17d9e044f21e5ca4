using System.Text.Json.Nodes;
using DistillML.TestSupport;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Checkpoints;
using DistillML.Torch.Modeling;
using TorchSharp;

namespace DistillML.Torch.Tests.Checkpoints;

/// <summary>Saved checkpoints carry the tokenizer files transformers reads, and Hugging Face's own reader of them tokenizes as we do.</summary>
public sealed class TokenizerFilesTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("tokenizer-files-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string SaveTinyModel(ModelFamily family, bool lowerCase, string name)
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(new BertConfig { Family = family, NumLayers = 1, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64, TypeVocabSize = family == ModelFamily.Bert ? 2 : 0 })
        {
            VocabularyPath = SharedAssets.BertVocab, LowerCase = lowerCase,
        };
        string dir = Path.Combine(root, name);
        model.Save(dir);
        return dir;
    }

    [Theory]
    [InlineData(ModelFamily.Bert, "BertTokenizerFast")]
    [InlineData(ModelFamily.DistilBert, "DistilBertTokenizerFast")]
    public void A_saved_checkpoint_has_the_three_tokenizer_files_transformers_reads(ModelFamily family, string tokenizerClass)
    {
        string dir = SaveTinyModel(family, lowerCase: true, name: family.ToString());
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, TokenizerConfig.FileName)))!;
        Assert.Equal(tokenizerClass, config["tokenizer_class"]!.GetValue<string>());
        Assert.True(config["do_lower_case"]!.GetValue<bool>());
        var map = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, TokenizerFiles.SpecialTokensMap)))!.AsObject();
        Assert.Equal(["unk_token", "sep_token", "pad_token", "cls_token", "mask_token"], map.Select(kv => kv.Key));
        Assert.Equal("[CLS]", map["cls_token"]!.GetValue<string>());

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, TokenizerFiles.TokenizerJson)))!;
        Assert.Equal("WordPiece", json["model"]!["type"]!.GetValue<string>());
        var vocab = json["model"]!["vocab"]!.AsObject();
        var lines = TokenizerFiles.ReadVocabulary(SharedAssets.BertVocab);
        Assert.Equal(lines.Count, vocab.Count);
        Assert.Equal(101, vocab["[CLS]"]!.GetValue<int>());
        Assert.Equal(lines[2000], vocab.ElementAt(2000).Key);
        Assert.Equal([0, 100, 101, 102, 103], json["added_tokens"]!.AsArray().Select(t => t!["id"]!.GetValue<int>()));
    }

    [Fact]
    public void Load_reads_do_lower_case_and_save_writes_it_back()
    {
        string dir = SaveTinyModel(ModelFamily.Bert, lowerCase: false, name: "cased");
        using var loaded = BertQaModel.Load(dir);
        Assert.False(loaded.LowerCase);
        Assert.False(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, TokenizerFiles.TokenizerJson)))!["normalizer"]!["lowercase"]!.GetValue<bool>());
        loaded.Save(Path.Combine(root, "again"));
        Assert.Equal(false, TokenizerConfig.ReadLowerCase(Path.Combine(root, "again")));
    }

    [Fact]
    public void A_vocabulary_with_a_repeated_token_gets_no_tokenizer_json()
    {
        Assert.Null(TokenizerFiles.ToTokenizerJson(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "a"], lowerCase: true));
        Assert.Null(TokenizerFiles.ToTokenizerJson(["[PAD]", "[UNK]", "a"], lowerCase: true)); // no [CLS]/[SEP]: no template
        Assert.NotNull(TokenizerFiles.ToTokenizerJson(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a"], lowerCase: true));
    }

    [Fact]
    public void Hugging_faces_reader_of_our_tokenizer_json_encodes_squad_pairs_as_our_featurizer_does()
    {
        if (HuggingFaceTokenizersJs.Unavailable is { } why)
        {
            if (HuggingFaceTokenizersJs.Skipped) return;
            Assert.Fail($"Hugging Face's tokenizers.js cannot run: {why}.");
        }
        string dir = SaveTinyModel(ModelFamily.Bert, lowerCase: true, name: "reference");
        // Questions and contexts across the whole dev set (accents, non-Latin scripts, punctuation runs, numbers).
        var examples = SquadDataset.Load(SharedAssets.Squad("dev-v1.1.json")).EvenlySpread(400);
        var pairs = examples.Select(e => (e.Question, e.Context)).ToList();
        var reference = HuggingFaceTokenizersJs.EncodePairs(dir, pairs);

        var encoder = BertTextEncoder.Create(SharedAssets.BertVocab, lowerCase: true);
        int mismatches = 0;
        var firstMismatch = "";
        for (int i = 0; i < pairs.Count; i++)
        {
            var q = encoder.Encode(pairs[i].Question).Ids;
            var c = encoder.Encode(pairs[i].Context).Ids;
            int[] ours = [encoder.ClsId, .. q, encoder.SepId, .. c, encoder.SepId];
            int[] types = [.. Enumerable.Repeat(0, q.Count + 2), .. Enumerable.Repeat(1, c.Count + 1)];
            if (ours.SequenceEqual(reference[i].Ids) && types.SequenceEqual(reference[i].TypeIds)) continue;
            if (mismatches++ == 0)
            {
                int at = Enumerable.Range(0, Math.Min(ours.Length, reference[i].Ids.Length)).FirstOrDefault(k => ours[k] != reference[i].Ids[k]);
                firstMismatch = $"{examples[i].Id} at token {at}: ours [{string.Join(' ', ours.Skip(at).Take(6))}] vs Hugging Face [{string.Join(' ', reference[i].Ids.Skip(at).Take(6))}]";
            }
        }
        Assert.True(mismatches == 0, $"{mismatches} of {pairs.Count} pairs differ; first: {firstMismatch}");
    }
}
