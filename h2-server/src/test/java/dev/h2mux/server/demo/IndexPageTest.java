package dev.h2mux.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexPageTest {
  @Test
  void browsersGetHtmlAndCurlGetsText() {
    assertThat(
            IndexPage.prefersHtml(
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"))
        .isTrue();
    assertThat(IndexPage.prefersHtml("*/*")).isFalse();
    assertThat(IndexPage.prefersHtml(null)).isFalse();
    assertThat(IndexPage.prefersHtml("text/plain, text/html;q=0.5")).isFalse();
    assertThat(IndexPage.prefersHtml("text/html;q=0")).isFalse();
    assertThat(IndexPage.prefersHtml("text/*;q=0.2, text/html")).isTrue();
    assertThat(IndexPage.prefersHtml("text/html;q=bad")).isFalse();
  }

  @Test
  void escapesHtml() {
    assertThat(IndexPage.escape("<a href=\"x\">&'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  }
}
