package dev.h2mux.client.cli;

/** The {@code --help} text. */
final class Usage {
  private Usage() {}

  static final String TEXT =
      """
      Usage: h2-client [options] URL...
      Each option behaves as curl's of the same name.
        -X, --request METHOD     request method (default GET, HEAD with -I, POST with -d)
        -H, --header 'N: v'      add a request header (repeatable); 'N:' leaves N out, 'N;' sends it empty
        -A, --user-agent NAME    user-agent to send (default h2-client/VERSION)
        -e, --referer URL        referer to send; 'URL;auto' or ';auto': with -L, each hop's URL
        -u, --user USER[:PASS]   Basic authentication (asks for the password if there is no ':')
        -d, --data DATA|@FILE    send DATA, or FILE with CR/LF removed; several are joined with '&'
            --data-binary D|@F   send DATA or FILE as is
            --data-raw DATA      send DATA as is, even if it starts with '@'
        -o, --output FILE        write the body to FILE (one -o or -O per URL, in order)
        -O, --remote-name        write the body to a file named as the URL's last path segment
            --remote-name-all    -O for every URL without its own -o or -O
        -i, --include            write the status line and headers before the body (every hop's with -L)
        -I, --head               send HEAD and write only the status line and headers
        -D, --dump-header FILE   write the status line and headers to FILE ('-': stdout)
        -f, --fail               exit 22 without writing the body if the status is 400 or more
            --fail-with-body     exit 22 if the status is 400 or more, after writing the body
        -w, --write-out FORMAT   write FORMAT after each transfer: %{http_code}, %{time_total}, ...
                                 (@FILE reads it from FILE); see the README for the variables
        -L, --location           follow redirects (301, 302, 303, 307, 308)
            --max-redirs N       follow at most N redirects (default 50; -1: no limit)
        -x, --proxy [http://]HOST[:PORT]  use an HTTP proxy (CONNECT for https://), port 1080 by default
            --compressed         ask for gzip or deflate and decode the body
            --cacert FILE        trust the certificates in the PEM file FILE instead of the JDK's
            --resolve H:P:ADDR   connect to ADDR (an IP address, or several with ',') for host H, port P
        -v, --verbose            show request and response heads, connections and HTTP/2 frames
        -s, --silent             no progress meter, no error message
        -S, --show-error         with -s, still print error messages
        -k, --insecure           accept any TLS certificate and host name
            --http2-prior-knowledge  HTTP/2 without upgrade for http:// (the default)
            --http2              h2c Upgrade for http://, ALPN h2 for https://
            --http1.1            HTTP/1.1 only
        -Z, --parallel           send all URLs at once, over one connection per origin
            --connect-timeout S  give up connecting after S seconds (DNS, TCP, proxy, TLS and HTTP/2
                                 preface together)
        -m, --max-time S         give up on a transfer after S seconds
        -K, --config FILE        read options from FILE, in curl's syntax ('-': stdin)
            --url URL            a URL (as in a -K file: url = "...")
        -h, --help               this help
      Long options may be abbreviated: --verb is --verbose.
      """;
}
