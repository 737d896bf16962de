package io.acme.cards;

import static com.github.tomakehurst.wiremock.client.WireMock.*;

import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import org.junit.jupiter.api.Test;

@WireMockTest(httpPort = 8089)
class RenderServiceTest {

    @Test
    void sendsTheKey() {
        stubFor(post("/image")
                .withHeader("Authorization", equalTo("Bearer pk_test_wJBct36kRB9b7RMX449qP8WBniWwOV1X"))
                .willReturn(okJson("{\"url\":\"https://cdn.example/x.png\"}")));
    }
}
