package com.example.myapplication;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

public final class CertificateClient {
    private static final String ENDPOINT = "https://api.pictify.io/templates/certificate/render";
    private static final String KEY = "pk_live_79YhkH8HmIAME1yxbgfrIFjUAwml12iW";

    public static String render(String name) throws Exception {
        HttpURLConnection conn = (HttpURLConnection) new URL(ENDPOINT).openConnection();
        conn.setRequestMethod("POST");
        conn.setRequestProperty("Content-Type", "application/json");
        conn.setRequestProperty("Authorization", "Bearer " + KEY);
        conn.setDoOutput(true);
        try (OutputStream os = conn.getOutputStream()) {
            os.write(("{\"variables\":{\"name\":\"" + name + "\"}}").getBytes(StandardCharsets.UTF_8));
        }
        return new String(conn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
