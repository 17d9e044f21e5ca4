namespace DistillML.Torch.Modeling;

/// <summary>The Hugging Face model families DistillML reads, trains and writes.</summary>
public enum ModelFamily
{
    /// <summary>BERT (<c>model_type: bert</c>, <c>BertForQuestionAnswering</c>): token type embeddings, post-LN layers.</summary>
    Bert,
    /// <summary>DistilBERT (<c>model_type: distilbert</c>, <c>DistilBertForQuestionAnswering</c>): no token types, no pooler.</summary>
    DistilBert,
    /// <summary>
    /// ELECTRA (<c>model_type: electra</c>, <c>ElectraForQuestionAnswering</c>): BERT's layers over a factorised
    /// embedding: the tables are <c>embedding_size</c> wide, normalised at that width, then projected to the hidden
    /// width by <c>embeddings_project</c> (absent when the widths are equal). DistillML uses it for students whose
    /// 30,522-row word table would otherwise be most of their parameters.
    /// </summary>
    Electra,
}
