using GameAnalyticsSDK;
using UnityEngine;

public class AnalyticsBootstrap : MonoBehaviour
{
    // Game key and secret from the GameAnalytics dashboard (Android build).
    private const string GameKey = "567f8f85f495cbe21dc638a810e8b2a0";
    private const string SecretKey = "96d1a8af9632ee6e10d55c796cd91b2c4dc05f32";

    private void Awake()
    {
        GameAnalytics.SettingsGA.AddGameKey(RuntimePlatform.Android, GameKey, SecretKey);
        GameAnalytics.Initialize();
    }
}
