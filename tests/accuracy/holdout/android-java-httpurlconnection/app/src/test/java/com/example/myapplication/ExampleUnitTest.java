package com.example.myapplication;

import static org.junit.Assert.assertEquals;
import org.junit.Test;

public class ExampleUnitTest {
    private static final String STRIPE_FIXTURE = "pk_test_b4EAYzgSnfZtD2r6JWTkSqDH";

    @Test
    public void addition_isCorrect() {
        assertEquals(4, 2 + 2);
    }
}
