package com.example.shop;

import android.app.Activity;
import com.checkout.frames.api.PaymentFlowHandler;

public class CardActivity extends Activity {
    private static final String CKO_PUBLIC_KEY = "pk_test_11932910-c045-44c4-83e5-0f9a83c061cd";
}
