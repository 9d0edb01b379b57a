using AuthKit.Benchmarks;

return await Cli.RunAsync(args);
