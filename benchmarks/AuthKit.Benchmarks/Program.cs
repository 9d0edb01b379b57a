// Placeholder: benchmarks arrive with the benchmarks issue.
Console.WriteLine("AuthKit benchmarks: not yet written.");
