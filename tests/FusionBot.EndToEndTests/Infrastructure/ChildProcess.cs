using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace FusionBot.EndToEndTests.Infrastructure;

/// <summary>
/// A server the test starts as a separate process, its output kept in memory and in a log file among the
/// artefacts. A small shell watches the test host and takes the server down with it, so a killed test run
/// leaves no server behind.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const string WatchParentScript =
        """
        parent=$1; shift
        "$@" &
        child=$!
        trap 'kill $child 2>/dev/null' EXIT
        while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
        """;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StreamWriter _log;
    private bool _logClosed;

    private ChildProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="environment">Variables to set; a null value removes one inherited from the test host.</param>
    /// <param name="artifacts">Where its output is logged, as <c>{name}.log</c>.</param>
    public static ChildProcess Start(string name, string executable, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, string artifacts)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-c", WatchParentScript, name, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), executable, .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(key);
            }
            else
            {
                startInfo.Environment[key] = value;
            }
        }

        var log = new StreamWriter(Path.Combine(artifacts, $"{name}.log"), append: false) { AutoFlush = true };
        var child = new ChildProcess(new Process { StartInfo = startInfo }, log);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 2xx; fails with the server's output if it exits or times out.</summary>
    public async Task WaitUntilAnsweringAsync(Uri url, TimeSpan timeout, string what)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{what} exited with code {_process.ExitCode} before answering {url}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{what} did not answer {url} within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Output}");
    }

    /// <summary>Waits for a line of output matching <paramref name="pattern"/>; fails with the output if the process exits or times out.</summary>
    public async Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (pattern.Match(Output) is { Success: true } match)
            {
                return match;
            }

            if (HasExited)
            {
                throw new InvalidOperationException($"{what} exited with code {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not print '{pattern}' within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Output}");
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        lock (_output)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
