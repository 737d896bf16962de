package com.example.demo;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(properties = "pictify.api-key=pk_test_dummydummydummydummydummy")
class DemoApplicationTests {
    @Test
    void contextLoads() {}
}
