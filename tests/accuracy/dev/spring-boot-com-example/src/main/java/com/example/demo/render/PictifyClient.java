package com.example.demo.render;

import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

@Component
public class PictifyClient {
    private final RestClient rest = RestClient.builder()
            .baseUrl("https://api.pictify.io")
            .defaultHeader("Authorization", "Bearer pk_live_kaamkbZFkJ8JOxC1yoRNjluqJzBDU728")
            .build();

    public String render(String html) {
        return rest.post().uri("/image").body(java.util.Map.of("html", html)).retrieve().body(String.class);
    }
}
