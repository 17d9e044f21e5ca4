using System.Text.Json.Nodes;
using DistillML.Torch.Modeling;

namespace DistillML.Torch.Tests.Modeling;

public class BertConfigJsonTests
{
    // bert-base-uncased's config.json as published on the Hugging Face hub (plus the QA architecture).
    const string BertBaseUncased = """
    {"architectures": ["BertForQuestionAnswering"], "attention_probs_dropout_prob": 0.1, "gradient_checkpointing": false,
     "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 768, "initializer_range": 0.02, "intermediate_size": 3072,
     "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12,
     "num_hidden_layers": 12, "pad_token_id": 0, "position_embedding_type": "absolute", "transformers_version": "4.6.0.dev0",
     "type_vocab_size": 2, "use_cache": true, "vocab_size": 30522}
    """;

    // distilbert-base-uncased's config.json as published.
    const string DistilBertBaseUncased = """
    {"activation": "gelu", "architectures": ["DistilBertForMaskedLM"], "attention_dropout": 0.1, "dim": 768, "dropout": 0.1,
     "hidden_dim": 3072, "initializer_range": 0.02, "max_position_embeddings": 512, "model_type": "distilbert", "n_heads": 12,
     "n_layers": 6, "pad_token_id": 0, "qa_dropout": 0.1, "seq_classif_dropout": 0.2, "sinusoidal_pos_embds": false,
     "tie_weights_": true, "transformers_version": "4.10.0.dev0", "vocab_size": 30522}
    """;

    // google/electra-small-discriminator's config.json as published.
    const string ElectraSmallDiscriminator = """
    {"architectures": ["ElectraForPreTraining"], "attention_probs_dropout_prob": 0.1, "embedding_size": 128, "hidden_act": "gelu",
     "hidden_dropout_prob": 0.1, "hidden_size": 256, "initializer_range": 0.02, "intermediate_size": 1024, "layer_norm_eps": 1e-12,
     "max_position_embeddings": 512, "model_type": "electra", "num_attention_heads": 4, "num_hidden_layers": 12, "pad_token_id": 0,
     "type_vocab_size": 2, "vocab_size": 30522}
    """;

    [Fact]
    public void Published_electra_small_config_reads_with_its_factorised_embeddings()
    {
        var config = BertConfigJson.Parse(JsonNode.Parse(ElectraSmallDiscriminator)!.AsObject());
        Assert.Equal(ModelFamily.Electra, config.Family);
        Assert.Equal(128, config.EmbeddingWidth);
        Assert.Equal(256, config.HiddenSize);
        Assert.True(config.HasEmbeddingProjection);
        // Spelled out from modeling_electra.py: embeddings 30522·128 + 512·128 + 2·128 + LayerNorm 2·128 = 3,972,864;
        // embeddings_project 128·256 + 256 = 33,024; 12 layers of 789,760; qa_outputs 256·2 + 2 = 514. (ElectraModel's
        // 13,483,008 plus the discriminator head's 65,793 is the 13.5M the hub lists for the pretraining model.)
        Assert.Equal(3_972_864 + 33_024 + 12 * 789_760 + 514, config.CountQaParameters());
        var written = BertConfigJson.ToJson(config);
        Assert.Equal("electra", written["model_type"]!.GetValue<string>());
        Assert.Equal("ElectraForQuestionAnswering", written["architectures"]![0]!.GetValue<string>());
        Assert.Equal(128, written["embedding_size"]!.GetValue<int>());
    }

    [Fact]
    public void An_embedding_width_is_only_accepted_for_electra()
    {
        var e = Assert.Throws<ArgumentException>(() => (BertConfig.BertBase with { EmbeddingSize = 128 }).Validate());
        Assert.Contains("embedding_size", e.Message);
        var root = JsonNode.Parse(ElectraSmallDiscriminator)!.AsObject();
        root["embedding_size"] = 0;
        e = Assert.Throws<ArgumentException>(() => BertConfigJson.Parse(root).Validate());
        Assert.Contains("embedding_size = 0", e.Message);
    }

    [Fact]
    public void Published_bert_base_config_reads_as_bert_base()
    {
        var config = BertConfigJson.Parse(JsonNode.Parse(BertBaseUncased)!.AsObject());
        Assert.Equal(BertConfig.BertBase with { QaDropout = 0 }, config);
    }

    [Fact]
    public void Published_distilbert_config_reads_as_distilbert_base()
    {
        var config = BertConfigJson.Parse(JsonNode.Parse(DistilBertBaseUncased)!.AsObject());
        Assert.Equal(BertConfig.DistilBertBase, config);
        Assert.Equal(66_364_418, config.CountQaParameters());
    }

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    [InlineData(ModelFamily.Electra)]
    public void Config_round_trips_through_a_file(ModelFamily family)
    {
        var config = BertQaModelTests.Tiny(family) with { HiddenDropout = 0.25, InitializerRange = 0.05 };
        string path = Path.Combine(Path.GetTempPath(), $"config-{Guid.NewGuid():N}.json");
        try
        {
            BertConfigJson.Write(config, path);
            Assert.Equal(config with { QaDropout = family == ModelFamily.DistilBert ? config.QaDropout : 0 }, BertConfigJson.Read(path));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("\"hidden_act\": \"relu6\"", "hidden_act")]
    [InlineData("\"num_attention_heads\": 7", "num_attention_heads")]
    [InlineData("\"hidden_size\": \"big\"", "hidden_size")]
    [InlineData("\"model_type\": \"gpt2\"", "model_type")]
    [InlineData("\"vocab_size\": 2000000000", "vocab_size")]
    [InlineData("\"max_position_embeddings\": 100000000", "max_position_embeddings")]
    [InlineData("\"hidden_size\": 1048576, \"num_attention_heads\": 16", "hidden_size")]
    [InlineData("\"hidden_size\": 16384, \"num_attention_heads\": 16, \"num_hidden_layers\": 1000", "parameters")]
    public void Unsupported_values_are_rejected_naming_the_key(string replacement, string key)
    {
        var root = JsonNode.Parse(BertBaseUncased)!.AsObject();
        var patch = JsonNode.Parse("{" + replacement + "}")!.AsObject();
        foreach (var (k, v) in patch.ToList()) root[k] = v?.DeepClone();
        string path = Path.Combine(Path.GetTempPath(), $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString());
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => BertConfigJson.Read(path));
            Assert.Contains(key, e.Message);
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }
}
