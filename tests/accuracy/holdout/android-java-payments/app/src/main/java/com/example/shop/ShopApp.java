package com.example.shop;

import android.app.Application;
import com.stripe.android.PaymentConfiguration;

public class ShopApp extends Application {
    public static final String CULQI_PUBLIC_KEY = "pk_live_Ij2buWZlHqkWzL9T";

    @Override
    public void onCreate() {
        super.onCreate();
        PaymentConfiguration.init(getApplicationContext(), "pk_live_rRy1I42Le0Td7ykaFmjVUtUk");
    }
}
