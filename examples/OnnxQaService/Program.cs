// OnnxQaService: serves an exported DistillML student over HTTP on loopback.
//   dotnet run --project examples/OnnxQaService -- --model student/model.onnx --urls http://127.0.0.1:5080
//   POST /answer {"question": "...", "context": "..."} -> {"answer", "start", "end", "score", "noAnswerProbability"}
//   GET  /health -> {"status": "ok", ...}
DistillML.Serving.QaServiceHost.Build(args).Run();
