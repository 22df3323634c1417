package dev.h2mux.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Following redirects with curl's rules ({@code -L}): which method and body the next request gets,
 * what another origin does not get, and the typed failures.
 */
class RedirectTest {
  private static ServerFixture server;
  private static ServerFixture other;

  @BeforeAll
  static void start() throws Exception {
    server = new ServerFixture();
    other = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    server.close();
    other.close();
  }

  private static Http2ClientBuilder client() {
    return Http2Client.builder()
        .connectTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(20));
  }

  private static ClientRequest post(String url) {
    return ClientRequest.builder(url)
        .method("POST")
        .header("content-type", "text/plain")
        .body("data")
        .build();
  }

  @Test
  void offByDefaultTheRedirectIsTheResponse() throws Exception {
    try (Http2Client client = client().build()) {
      ClientResponse response = client.send(post(server.url("/redirect/302?/method")));
      assertThat(response.status()).isEqualTo(302);
      assertThat(response.headers().get("location")).isEqualTo("/method");
      assertThat(response.string()).isEqualTo("moved");
      assertThat(response.info().redirects()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303})
  void postBecomesGetWithoutItsBody(int code) throws Exception {
    try (Http2Client client = client().followRedirects(5).build()) {
      ClientResponse response = client.send(post(server.url("/redirect/" + code + "?/method")));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.string()).isEqualTo("GET /method body=");
      assertThat(response.uri()).isEqualTo(URI.create(server.url("/method")));
      assertThat(response.info().redirects()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {307, 308})
  void methodAndBodyAreKept(int code) throws Exception {
    try (Http2Client client = client().followRedirects(5).build()) {
      ClientResponse response = client.send(post(server.url("/redirect/" + code + "?/method")));
      assertThat(response.string()).isEqualTo("POST /method body=data content-type=text/plain");
    }
  }

  @Test
  void otherMethodsChangeOnlyFor303() throws Exception {
    try (Http2Client client = client().followRedirects(5).build()) {
      ClientRequest put =
          ClientRequest.builder(server.url("/redirect/301?/method"))
              .method("PUT")
              .body("x")
              .build();
      assertThat(client.send(put).string()).isEqualTo("PUT /method body=x");
      ClientRequest seeOther =
          ClientRequest.builder(server.url("/redirect/303?/method"))
              .method("PUT")
              .body("x")
              .build();
      assertThat(client.send(seeOther).string()).isEqualTo("GET /method body=");
    }
  }

  @Test
  void theHookSeesEveryHopAndAdjustsTheNextRequest() throws Exception {
    List<String> seen = new ArrayList<>();
    String second = "/redirect/307?" + URLEncoder.encode(other.url("/method"), UTF_8);
    RedirectHook hook =
        (redirect, next) -> {
          seen.add(
              redirect.status()
                  + " "
                  + redirect.uri().getPath()
                  + " -> "
                  + next.method()
                  + " "
                  + next.uri()
                  + " "
                  + next.headers().get("authorization"));
          // Credentials for the next origin, which the rules dropped; and a field of the hop.
          return next.toBuilder()
              .setHeader("authorization", "Bearer for-" + next.uri().getPort())
              .setHeader("x-custom", "after-" + redirect.status())
              .build();
        };
    try (Http2Client client = client().followRedirects(5).build()) {
      ClientRequest request =
          ClientRequest.builder(server.url("/redirect/302?" + URLEncoder.encode(second, UTF_8)))
              .header("authorization", "Bearer first")
              .onRedirect(hook)
              .build();
      ClientResponse response = client.send(request);
      assertThat(response.string())
          .isEqualTo(
              "GET /method body= authorization=Bearer for-"
                  + other.server.port()
                  + " x-custom=after-307");
      assertThat(response.info().redirects()).isEqualTo(2);
    }
    // The hook is kept on the request of each hop, and sees the rules applied first.
    assertThat(seen)
        .containsExactly(
            "302 /redirect/302 -> GET " + server.url(second) + " Bearer first",
            "307 /redirect/307 -> GET " + other.url("/method") + " null");
  }

  @Test
  void aHookThatThrowsStopsTheCall() throws Exception {
    try (Http2Client client = client().followRedirects(5).build()) {
      ClientRequest request =
          ClientRequest.builder(server.url("/redirect/302?/method"))
              .onRedirect(
                  (redirect, next) -> {
                    throw new java.io.IOException("not there: " + next.uri().getPath());
                  })
              .build();
      assertThatThrownBy(() -> client.send(request)).hasMessage("not there: /method");
      // the redirect's connection was freed for the next call
      assertThat(client.send(ClientRequest.get(URI.create(server.url("/hello")))).string())
          .isEqualTo("hello HTTP/2");
      assertThat(client.connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void anotherOriginDoesNotGetTheCredentials() throws Exception {
    try (Http2Client client = client().followRedirects(5).build()) {
      ClientRequest.Builder request =
          ClientRequest.builder(server.url("/redirect/302?" + other.url("/method")))
              .header("authorization", "Bearer secret")
              .header("cookie", "session=1")
              .header("x-custom", "kept");
      ClientResponse away = client.send(request.build());
      assertThat(away.string()).isEqualTo("GET /method body= x-custom=kept");
      assertThat(away.uri().getPort()).isEqualTo(other.server.port());
      // the same origin gets them
      ClientRequest.Builder same =
          ClientRequest.builder(server.url("/redirect/302?/method"))
              .header("authorization", "Bearer secret")
              .header("cookie", "session=1");
      assertThat(client.send(same.build()).string())
          .isEqualTo("GET /method body= authorization=Bearer secret cookie=session=1");
    }
  }

  @Test
  void relativeAndUnencodedLocationsResolve() throws Exception {
    try (Http2Client client = client().followRedirects(5).build()) {
      assertThat(client.send(post(server.url("/redirect/303?../method"))).string())
          .isEqualTo("GET /method body=");
      assertThat(client.send(post(server.url("/redirect/303?/method?q=a%20b"))).string())
          .isEqualTo("GET /method?q=a%20b body=");
    }
  }

  @Test
  void tooManyRedirectsAreATypedError() throws Exception {
    try (Http2Client client = client().followRedirects(3).build()) {
      assertThatThrownBy(() -> client.send(ClientRequest.get(URI.create(server.url("/loop")))))
          .isInstanceOfSatisfying(
              RedirectException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(RedirectException.Reason.TOO_MANY);
                assertThat(e.location()).isEqualTo(URI.create(server.url("/loop")));
              });
    }
    try (Http2Client client = client().followRedirects(0).build()) {
      assertThatThrownBy(() -> client.send(post(server.url("/redirect/302?/method"))))
          .isInstanceOfSatisfying(
              RedirectException.class,
              e -> assertThat(e.reason()).isEqualTo(RedirectException.Reason.TOO_MANY));
    }
  }

  @Test
  void aBodyWrittenOnceCannotBeSentAgain() throws Exception {
    try (Http2Client client = client().followRedirects(5).build()) {
      ClientRequest once =
          ClientRequest.builder(server.url("/redirect/307?/method"))
              .method("POST")
              .body(out -> out.write("once".getBytes()))
              .build();
      assertThatThrownBy(() -> client.send(once))
          .isInstanceOfSatisfying(
              RedirectException.class,
              e -> assertThat(e.reason()).isEqualTo(RedirectException.Reason.BODY_NOT_REPLAYABLE));
      // a redirect that drops the body needs none
      ClientRequest dropped =
          ClientRequest.builder(server.url("/redirect/303?/method"))
              .method("POST")
              .body(out -> out.write("once".getBytes()))
              .build();
      assertThat(client.send(dropped).string()).isEqualTo("GET /method body=");
    }
  }

  @Test
  void aLocationThatIsNotHttpIsATypedError() throws Exception {
    try (Http2Client client = client().followRedirects(5).build()) {
      assertThatThrownBy(() -> client.send(post(server.url("/redirect/302?ftp://127.0.0.1/x"))))
          .isInstanceOfSatisfying(
              RedirectException.class,
              e -> assertThat(e.reason()).isEqualTo(RedirectException.Reason.BAD_LOCATION));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ConnectionMode.class,
      names = {"PRIOR_KNOWLEDGE", "HTTP_1_1"})
  void theRedirectsConnectionCarriesTheNextRequest(ConnectionMode mode) throws Exception {
    try (Http2Client client = client().connectionMode(mode).followRedirects(5).build()) {
      ClientResponse response =
          client.send(ClientRequest.get(URI.create(server.url("/redirect/303?/method"))));
      assertThat(response.string()).isEqualTo("GET /method body=");
      // the redirect's short body was read, so its connection was free for the next request
      assertThat(response.info().connectionsOpened()).isEqualTo(1);
      assertThat(client.connectionsOpened()).isEqualTo(1);
    }
  }
}
