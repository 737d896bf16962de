package com.example.myapplication;

import android.app.Activity;
import android.os.Bundle;
import com.hypertrack.sdk.HyperTrack;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        HyperTrack sdk = HyperTrack.getInstance("pk_test_673654779c18b196961a424cb6ed179dbd4e3cc4");
        sdk.start();
    }
}
