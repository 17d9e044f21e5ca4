namespace DistillML.Torch.Modeling;

/// <summary>The Hugging Face model families DistillML reads, trains and writes.</summary>
public enum ModelFamily
{
    /// <summary>BERT (<c>model_type: bert</c>, <c>BertForQuestionAnswering</c>): token type embeddings, post-LN layers.</summary>
    Bert,
    /// <summary>DistilBERT (<c>model_type: distilbert</c>, <c>DistilBertForQuestionAnswering</c>): no token types, no pooler.</summary>
    DistilBert,
}
