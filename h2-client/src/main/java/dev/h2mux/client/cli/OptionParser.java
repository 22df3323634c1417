package dev.h2mux.client.cli;

import dev.h2mux.client.ConnectionMode;
import dev.h2mux.client.cli.CliOptions.DataPart;
import dev.h2mux.client.cli.CliOptions.FailMode;
import dev.h2mux.client.cli.CliOptions.HeaderArg;
import dev.h2mux.client.cli.CliOptions.OutputArg;
import dev.h2mux.client.cli.CliOptions.Resolve;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a command line the way curl does: {@code -o FILE} or {@code -oFILE}; letters bundled as
 * {@code -sSf} (a letter that takes a value takes the rest of the bundle or the next argument);
 * {@code --name value}, also {@code --name=value}; long names abbreviated to an unambiguous prefix;
 * {@code --} ends the options. {@code -K FILE} reads more options from a {@link ConfigFile} in its
 * place.
 */
final class OptionParser {
  private static final int MAX_CONFIG_DEPTH = 8;

  private final InputStream stdin;
  private int configDepth;

  private String method;
  private boolean head;
  private final List<HeaderArg> headers = new ArrayList<>();
  private final List<DataPart> data = new ArrayList<>();
  private final List<OutputArg> outputs = new ArrayList<>();
  private boolean remoteNameAll;
  private boolean include;
  private String dumpHeader;
  private FailMode fail = FailMode.OFF;
  private String writeOut;
  private String user;
  private String userAgent;
  private String referer;
  private boolean autoReferer;
  private boolean verbose;
  private boolean silent;
  private boolean showError;
  private boolean insecure;
  private ConnectionMode mode = ConnectionMode.PRIOR_KNOWLEDGE;
  private boolean parallel;
  private boolean location;
  private int maxRedirs = 50;
  private URI proxy;
  private boolean compressed;
  private Path cacert;
  private final List<Resolve> resolves = new ArrayList<>();
  private Duration connectTimeout;
  private Duration maxTime;
  private boolean help;
  private final List<String> urls = new ArrayList<>();

  private OptionParser(InputStream stdin) {
    this.stdin = stdin;
  }

  /**
   * Parses {@code args}.
   *
   * @param stdin where {@code -K -} and {@code -w @-} read from
   * @throws UsageException for bad usage (exit code 2)
   * @throws CliFailure for a file that can't be read (exit code 26)
   */
  static CliOptions parse(String[] args, InputStream stdin) throws CliFailure {
    OptionParser p = new OptionParser(stdin);
    p.parseArgs(args);
    return p.finish();
  }

  private void parseArgs(String[] args) throws CliFailure {
    boolean endOfOptions = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (endOfOptions || !arg.startsWith("-") || arg.equals("-")) {
        urls.add(arg);
      } else if (arg.equals("--")) {
        endOfOptions = true;
      } else if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        String name = arg.substring(2, eq < 0 ? arg.length() : eq);
        Option option = Option.ofLong(name, "--" + name);
        String value = null;
        if (eq >= 0) {
          if (!option.takesValue) {
            throw new UsageException("option --" + option.longName + ": takes no value");
          }
          value = arg.substring(eq + 1);
        } else if (option.takesValue) {
          if (++i >= args.length) throw missingValue("--" + option.longName);
          value = args[i];
        }
        apply(option, value, "--" + option.longName);
      } else {
        for (int j = 1; j < arg.length(); j++) {
          char letter = arg.charAt(j);
          Option option = Option.ofShort(letter);
          if (option == null) throw new UsageException("option -" + letter + ": is unknown");
          if (!option.takesValue) {
            apply(option, null, "-" + letter);
            continue;
          }
          String value = arg.substring(j + 1);
          if (value.isEmpty()) {
            if (++i >= args.length) throw missingValue("-" + letter);
            value = args[i];
          }
          apply(option, value, "-" + letter);
          break;
        }
      }
    }
  }

  private void parseConfig(String file) throws CliFailure {
    if (++configDepth > MAX_CONFIG_DEPTH) {
      throw new UsageException("option -K: config files nested more than " + MAX_CONFIG_DEPTH);
    }
    String text = read(file, "config file");
    String name = file.equals("-") ? "<stdin>" : file;
    for (ConfigFile.Entry entry : ConfigFile.parse(name, text)) {
      try {
        applyConfigLine(entry);
      } catch (UsageException e) {
        // A nested -K adds its own file:line after this one's.
        throw new UsageException(entry.where() + ": " + e.getMessage());
      }
    }
    configDepth--;
  }

  private void applyConfigLine(ConfigFile.Entry entry) throws CliFailure {
    String option = entry.option();
    String value = entry.value();
    if (!entry.dashed()) {
      applyConfigEntry(Option.ofLong(option, "'" + option + "'"), value, option);
    } else if (option.startsWith("--")) {
      applyConfigEntry(Option.ofLong(option.substring(2), option), value, option);
    } else {
      // A bundle such as -sSo: only its last letter may take the line's value.
      for (int j = 1; j < option.length(); j++) {
        char letter = option.charAt(j);
        Option o = Option.ofShort(letter);
        if (o == null) throw new UsageException("option -" + letter + ": is unknown");
        if (o.takesValue && j < option.length() - 1) {
          if (value != null) throw noValueWanted(option);
          applyConfigEntry(o, option.substring(j + 1), "-" + letter);
          return;
        }
        applyConfigEntry(o, j == option.length() - 1 ? value : null, "-" + letter);
      }
    }
  }

  private void applyConfigEntry(Option option, String value, String shown) throws CliFailure {
    if (option.takesValue && value == null) throw missingValue(shown);
    if (!option.takesValue && value != null) throw noValueWanted(shown);
    apply(option, value, shown);
  }

  private static UsageException noValueWanted(String option) {
    return new UsageException("option " + option + ": takes no value, but the line gives one");
  }

  private static UsageException missingValue(String option) {
    return new UsageException("option " + option + ": requires parameter");
  }

  /**
   * @param shown the option as the user wrote it, for messages
   */
  private void apply(Option option, String value, String shown) throws CliFailure {
    if (option == Option.CONFIG) {
      parseConfig(value);
      return;
    }
    try {
      switch (option) {
        case REQUEST -> method = value;
        case HEADER -> headers.add(OptionValues.header(value));
        case DATA -> data.add(OptionValues.dataPart(value, true));
        case DATA_BINARY -> data.add(OptionValues.dataPart(value, false));
        case DATA_RAW -> data.add(new DataPart(value, null, false));
        case OUTPUT -> outputs.add(new OutputArg(value));
        case REMOTE_NAME -> outputs.add(new OutputArg(null));
        case REMOTE_NAME_ALL -> remoteNameAll = true;
        case INCLUDE -> include = true;
        case HEAD -> head = true;
        case DUMP_HEADER -> dumpHeader = OptionValues.nonEmpty(value);
        case FAIL -> fail(FailMode.FAIL);
        case FAIL_WITH_BODY -> fail(FailMode.WITH_BODY);
        case WRITE_OUT -> writeOut = value.startsWith("@") ? read(value.substring(1), "-w") : value;
        case USER -> user = value;
        case USER_AGENT -> userAgent = value;
        case REFERER -> referer(value);
        case VERBOSE -> verbose = true;
        case SILENT -> silent = true;
        case SHOW_ERROR -> showError = true;
        case INSECURE -> insecure = true;
        case HTTP2_PRIOR_KNOWLEDGE -> mode = ConnectionMode.PRIOR_KNOWLEDGE;
        case HTTP2 -> mode = ConnectionMode.UPGRADE;
        case HTTP1_1 -> mode = ConnectionMode.HTTP_1_1;
        case PARALLEL -> parallel = true;
        case LOCATION -> location = true;
        case MAX_REDIRS -> maxRedirs = OptionValues.maxRedirs(value);
        case PROXY -> proxy = OptionValues.proxy(value);
        case COMPRESSED -> compressed = true;
        case CACERT -> cacert = Path.of(OptionValues.nonEmpty(value));
        case RESOLVE -> resolves.add(OptionValues.resolve(value));
        case CONNECT_TIMEOUT -> connectTimeout = OptionValues.seconds(value);
        case MAX_TIME -> maxTime = OptionValues.seconds(value);
        case CONFIG -> throw new AssertionError("handled above");
        case URL -> urls.add(value);
        case HELP -> help = true;
      }
    } catch (UsageException e) {
      throw new UsageException("option " + shown + ": " + e.getMessage());
    }
  }

  private void fail(FailMode mode) throws UsageException {
    if (fail != FailMode.OFF && fail != mode) {
      throw new UsageException("you must select either --fail or --fail-with-body, not both");
    }
    fail = mode;
  }

  /** {@code URL}, {@code URL;auto} or {@code ;auto}. */
  private void referer(String value) {
    if (value.endsWith(";auto")) {
      autoReferer = true;
      value = value.substring(0, value.length() - ";auto".length());
    } else {
      autoReferer = false;
    }
    referer = value.isEmpty() ? null : value;
  }

  /** A file's text ({@code -} for standard input), for -K and -w @file; exit 26 if unreadable. */
  private String read(String file, String what) throws CliFailure {
    try {
      InputStream in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file));
      try {
        byte[] bytes = in.readNBytes(ConfigFile.MAX_SIZE + 1);
        if (bytes.length > ConfigFile.MAX_SIZE) {
          throw new CliFailure(
              26, what + " '" + file + "' is larger than " + ConfigFile.MAX_SIZE + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      } finally {
        if (in != stdin) in.close();
      }
    } catch (NoSuchFileException e) {
      throw new CliFailure(26, "cannot read " + what + " '" + file + "': no such file");
    } catch (IOException e) {
      throw new CliFailure(26, "cannot read " + what + " '" + file + "': " + e.getMessage());
    }
  }

  private CliOptions finish() throws UsageException {
    if (!help) {
      if (urls.isEmpty()) throw new UsageException("no URL specified!");
      if (outputs.size() > urls.size()) {
        throw new UsageException(
            outputs.size() + " -o/-O options for " + urls.size() + " URLs: one per URL at most");
      }
      if (head && !data.isEmpty()) {
        throw new UsageException(
            "you can only select one HTTP request method: you asked for both POST (-d) and HEAD"
                + " (-I)");
      }
    }
    return new CliOptions(
        method,
        head,
        List.copyOf(headers),
        List.copyOf(data),
        List.copyOf(outputs),
        remoteNameAll,
        include,
        dumpHeader,
        fail,
        writeOut,
        user,
        userAgent,
        referer,
        autoReferer,
        verbose,
        silent,
        showError,
        insecure,
        mode,
        parallel,
        location,
        maxRedirs,
        proxy,
        compressed,
        cacert,
        List.copyOf(resolves),
        connectTimeout,
        maxTime,
        help,
        List.copyOf(urls));
  }
}
