package io.acme.cards;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration
public class PictifyConfig {

    @Bean
    WebClient pictifyClient(WebClient.Builder builder) {
        return builder
                .baseUrl("https://api.pictify.io")
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer 8dab3118b85e48642055b775135912fc241643b09e648e16ffa31de018b313ac")
                .defaultHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                .build();
    }
}
