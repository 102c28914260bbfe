using System.Security.Cryptography;
using System.Text;
using WorkflowHost.Jobs.Notifications.Channels;
using WorkflowHost.Jobs.Tests.Support;

namespace WorkflowHost.Jobs.Tests.Notifications.Channels;

/// <summary>The keys and paths the fakes are configured with, and the signature rules computed here, independently of the product code.</summary>
public static class ChannelTestSetup
{
    public const string WeComPath = "/cgi-bin/webhook/send";
    public const string WeComKey = "wecom-key-693a91f6-7d3e";
    public const string DingTalkPath = "/robot/send";
    public const string DingTalkToken = "dingtalk-token-98975521a1b2";
    public const string DingTalkSecret = "SECdingtalk5a3ecf88f2b3eb50db30ecfc00f5";
    public const string FeishuHook = "feishu-hook-5e3d587e-d78e-4a07";
    public const string FeishuPath = "/open-apis/bot/v2/hook/" + FeishuHook;
    public const string FeishuSecret = "feishu-secret-nIMtb7r3N9pkXy";
    public const string SmsPath = "/v1/messages";
    public const string SmsAppId = "workflowhost-app";
    public const string SmsSecret = "sms-gateway-secret-QwErTy123";
    public const string Phone = "13812345678";

    public static readonly string[] Secrets = [WeComKey, DingTalkToken, DingTalkSecret, FeishuHook, FeishuSecret, SmsSecret];

    public static ChannelOptions Options(FakePlatform robots, FakePlatform? sms = null, bool wecom = true, bool dingtalk = true, bool feishu = true, bool quiet = false)
    {
        var channels = new Dictionary<string, ChannelEndpointOptions>(StringComparer.OrdinalIgnoreCase);
        if (wecom)
        {
            channels["wecom"] = new() { Webhook = $"{robots.Url}{WeComPath}?key={WeComKey}" };
        }

        if (dingtalk)
        {
            channels["dingtalk"] = new() { Webhook = $"{robots.Url}{DingTalkPath}?access_token={DingTalkToken}", Secret = DingTalkSecret };
        }

        if (feishu)
        {
            channels["feishu"] = new() { Webhook = $"{robots.Url}{FeishuPath}", Secret = FeishuSecret };
        }

        var options = new ChannelOptions
        {
            FirstRetryDelay = TimeSpan.FromSeconds(10),
            MaxRetryDelay = TimeSpan.FromMinutes(20),
            MaxAttempts = 4,
            FailureThreshold = 3,
            Communities = new(StringComparer.OrdinalIgnoreCase) { [ChannelWorld.Community] = channels },
        };
        if (!quiet)
        {
            options.QuietChannels = [];
        }

        if (sms is not null)
        {
            options.Sms = new SmsGatewayOptions
            {
                Endpoint = $"{sms.Url}{SmsPath}", AppId = SmsAppId, Secret = SmsSecret,
                Templates = new(StringComparer.OrdinalIgnoreCase) { ["reminder"] = "SMS_REMIND_01", ["escalation"] = "SMS_ESCALATE_01", ["digest"] = "SMS_DIGEST_01", ["notice"] = "SMS_NOTICE_01" },
            };
        }

        return options;
    }

    /// <summary>DingTalk's rule: HMAC-SHA256 keyed with the secret over "timestamp\nsecret", Base64 (URL-encoding is the transport's).</summary>
    public static string DingTalkSign(string timestamp, string secret)
    {
        using var mac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return Convert.ToBase64String(mac.ComputeHash(Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));
    }

    /// <summary>Feishu's rule: "timestamp\nsecret" is the HMAC-SHA256 key, the message is empty, Base64.</summary>
    public static string FeishuSign(string timestamp, string secret)
    {
        using var mac = new HMACSHA256(Encoding.UTF8.GetBytes($"{timestamp}\n{secret}"));
        return Convert.ToBase64String(mac.ComputeHash([]));
    }

    /// <summary>The SMS gateway's rule (docs/operations.md): HMAC-SHA256(secret, appId\ntimestamp\nnonce\nhex(sha256(body))), hex.</summary>
    public static string SmsSign(string appId, string timestamp, string nonce, string body, string secret)
    {
        var bodyHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body))).ToLowerInvariant();
        using var mac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return Convert.ToHexString(mac.ComputeHash(Encoding.UTF8.GetBytes($"{appId}\n{timestamp}\n{nonce}\n{bodyHash}"))).ToLowerInvariant();
    }

    public const string Ok = """{"errcode":0,"errmsg":"ok"}""";
    public const string FeishuOk = """{"code":0,"msg":"success","data":{}}""";
}
