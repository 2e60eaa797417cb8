//! The message catalogue: every string a page shows, in Simplified Chinese
//! (the default) and English. Templates name a message [`M`]; they never
//! hold text of their own. `{}` in a message is filled by [`Lang::f`].

/// A page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// From `?lang=` or the `plaza_lang` cookie: `zh`/`zh-CN` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" | "zh-cn" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The `lang` attribute and cookie value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The text of a message.
    pub fn t(self, m: M) -> &'static str {
        match self {
            Lang::Zh => m.zh(),
            Lang::En => m.en(),
        }
    }

    /// A message with each `{}` replaced by the next argument, in order.
    pub fn f(self, m: M, args: &[&dyn std::fmt::Display]) -> String {
        let mut out = String::new();
        let mut args = args.iter();
        let mut parts = self.t(m).split("{}").peekable();
        while let Some(part) = parts.next() {
            out.push_str(part);
            if parts.peek().is_some() {
                if let Some(a) = args.next() {
                    out.push_str(&a.to_string());
                }
            }
        }
        out
    }
}

macro_rules! catalogue {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// Every message of the user interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum M { $($key),* }
        impl M {
            /// Every message, for completeness tests.
            pub const ALL: &'static [M] = &[$(M::$key),*];
            /// Simplified Chinese.
            pub fn zh(self) -> &'static str { match self { $(M::$key => $zh),* } }
            /// English.
            pub fn en(self) -> &'static str { match self { $(M::$key => $en),* } }
        }
    };
}

catalogue! {
    // Navigation and layout
    NavHome => "首页", "Home";
    NavPublic => "广场", "Public";
    NavNotifications => "通知", "Notifications";
    NavProfile => "我的主页", "My profile";
    NavSettings => "设置", "Settings";
    NavAdmin => "管理", "Admin";
    AdminMenu => "管理菜单", "Admin menu";
    NavLogin => "登录", "Log in";
    NavSignup => "注册", "Sign up";
    NavLogout => "退出", "Log out";
    SkipToContent => "跳到正文", "Skip to content";
    FooterAgreement => "服务协议", "Service agreement";
    FooterRules => "平台规则", "Platform rules";
    FooterIcp => "ICP备案号", "ICP filing";
    FooterPsb => "公安备案号", "Public security filing";
    FooterNews => "互联网新闻信息服务许可证", "News information service licence";
    FooterTimes => "时间为 {} 时区", "Times are in {}";
    LangSwitch => "English", "中文";
    // Errors
    ErrBadRequest => "请求无效", "Bad request";
    ErrCsrf => "表单已过期，请返回刷新后重试", "This form has expired: go back, reload and try again";
    ErrLoginRequired => "请先登录", "Please log in first";
    ErrForbidden => "没有权限", "You may not do that";
    ErrNotFound => "找不到该页面", "Page not found";
    ErrGone => "内容已不存在", "This is gone";
    ErrMethod => "不支持该请求方式", "Method not allowed";
    ErrTooLarge => "提交的内容太大", "What you sent is too large";
    ErrConflict => "已被占用", "Already taken";
    ErrInternal => "服务器出错，请稍后再试", "Something went wrong on our side; please try again later";
    ErrTooManyPasswordTries => "密码错误次数过多，请稍后再试：每错一次，等待时间加倍", "Too many wrong passwords: wait a little and try again; each wrong try doubles the wait";
    ErrTooManyAttempts => "登录失败次数过多，请稍后再试：每错一次，等待时间加倍", "Too many failed logins: wait a little and try again; each wrong try doubles the wait";
    IdOwnByOther => "你的实名信息须由另一位审核员或管理员确认", "Another reviewer or admin must decide on your own identity";
    PasswordTitle => "修改密码", "Password";
    PasswordChanged => "密码已修改，其他设备上的登录已退出", "Password changed; you are logged out on other devices";
    CurrentPassword => "当前密码", "Current password";
    NewPassword => "新密码", "New password";
    FeaturesTitle => "安全评估", "Security assessments";
    FeaturesIntro => "具有舆论属性或社会动员能力的功能须有安全评估记录后方可开启（《微博客信息服务管理规定》第十三条）。", "Features with public-opinion or mobilisation attributes can only be switched on once a security assessment is on record (Art. 13 of the Provisions).";
    FeatureName => "功能", "Feature";
    FeatureState => "状态", "State";
    FeatureAssessments => "评估记录", "Assessments";
    FeatureReposts => "转发", "Reposts";
    FeatureTrending => "热门话题", "Trending topics";
    FeaturePolls => "投票", "Polls";
    FeatureLive => "直播", "Live streaming";
    FeatureOn => "已开启", "On";
    FeatureOff => "已关闭", "Off";
    FeatureNotBuiltShort => "本版本未提供", "Not in this version";
    FeatureSwitchOn => "开启", "Switch on";
    FeatureSwitchOff => "关闭", "Switch off";
    FeatureRecord => "登记安全评估", "Record a security assessment";
    FeatureAssessedOn => "评估日期", "Assessed on";
    FeatureReference => "评估报告编号", "Reference";
    FeatureAssessor => "评估机构", "Assessor";
    FeatureNote => "说明", "Note";
    FeatureReport => "评估报告文件", "Report file";
    FeatureRecordButton => "登记", "Record";
    FeatureRecords => "评估记录", "Assessment records";
    FeatureErrDate => "评估日期须为不晚于今天的有效日期（YYYY-MM-DD）", "The assessment date must be a real date, not in the future (YYYY-MM-DD)";
    FeatureErrReference => "请填写评估报告编号", "Give the assessment's reference";
    FeatureNotBuilt => "本版本没有这项功能", "This version does not have that feature";
    FeatureNeedsAssessment => "开启前须先登记安全评估", "Record a security assessment before switching it on";
    RepostsOff => "本站尚未开启转发功能", "Reposting is not switched on on this site";
    ErrNeedsRole => "此页面需要以下角色之一：{}", "This page needs one of these roles: {}";
    ErrTimeout => "请求超时", "The request took too long";
    ErrBusy => "服务器繁忙，请稍后再试", "The server is busy; please try again in a moment";
    ErrBackHome => "返回首页", "Back to the home page";
    // Accounts
    Username => "用户名", "Username";
    UsernameHint => "3-30 个字母、数字或下划线", "3-30 letters, digits or underscores";
    Password => "密码", "Password";
    PasswordHint => "至少 8 个字符", "At least 8 characters";
    AcceptTerms => "我已阅读并同意《服务协议》和《平台规则》", "I have read and accept the service agreement and the platform rules";
    SignupTitle => "注册账号", "Create an account";
    SignupButton => "注册", "Sign up";
    LoginTitle => "登录", "Log in";
    LoginButton => "登录", "Log in";
    NoAccount => "还没有账号？", "No account yet?";
    HaveAccount => "已有账号？", "Already have an account?";
    ErrUsernameLength => "用户名须为 3-30 个字符", "The username must be 3-30 characters long";
    ErrUsernameChars => "用户名只能包含字母、数字和下划线", "The username may only contain letters, digits and underscores";
    ErrUsernameTaken => "该用户名已被使用", "That username is taken";
    ErrSignupRate => "这个网络地址一小时内注册的账号过多，请稍后再试", "Too many accounts were signed up from this address in the last hour: try again later";
    ErrPasswordCommon => "这个密码太常见，很容易被猜中，请换一个", "This password is one of the most common ones and easily guessed: choose another";
    ErrPasswordShort => "密码至少需要 8 个字符", "The password must be at least 8 characters long";
    ErrPasswordLong => "密码不能超过 128 个字符", "The password may not be longer than 128 characters";
    ErrMustAccept => "注册前须同意服务协议和平台规则", "You must accept the service agreement and platform rules to sign up";
    ErrBadLogin => "用户名或密码错误", "Wrong username or password";
    SetupTitle => "创建第一个管理员账号", "Create the first admin account";
    SetupIntro => "这个一次性链接用于创建站点的第一个管理员。", "This one-time link creates the site's first administrator.";
    SetupButton => "创建管理员", "Create admin";
    SetupDone => "管理员已创建，此链接已失效。", "The admin exists; this link is no longer valid.";
    TermsUpdatedTitle => "服务协议已更新", "The service agreement has changed";
    TermsUpdatedIntro => "请阅读新版（第 {} 版）服务协议和平台规则，同意后继续使用。", "Please read version {} of the service agreement and platform rules, and accept them to go on.";
    TermsAcceptButton => "同意并继续", "Accept and continue";
    AgreementTitle => "服务协议", "Service agreement";
    RulesTitle => "平台规则", "Platform rules";
    AgreementVersion => "第 {} 版，发布于 {}", "Version {}, published {}";
    // Posting
    ComposePlaceholder => "有什么新鲜事想分享？", "What's happening?";
    ComposeButton => "发布", "Post";
    CharsLeft => "还可输入 {} 字", "{} characters left";
    VisibilityPublic => "公开", "Public";
    VisibilityFollowers => "仅粉丝", "Followers only";
    VisibilitySelf => "仅自己", "Only me";
    VisibilityLabel => "谁可以看", "Who can see this";
    ErrEmptyBody => "内容不能为空", "Write something first";
    ErrTooLong => "内容过长：{} 字，上限 {} 字", "Too long: {} characters, the limit is {}";
    ErrBadVisibility => "可见范围无效", "Unknown visibility";
    ErrCannotRepost => "这条微博不能转发", "This post cannot be reposted";
    ErrBadReply => "回复的评论不存在", "The comment you reply to does not exist";
    PostDeleted => "已删除", "Deleted";
    OriginalRemoved => "原微博已删除", "The original post was removed";
    OriginalHidden => "你无权查看原微博", "You cannot see the original post";
    Reposted => "转发", "Reposted";
    Repost => "转发", "Repost";
    RepostPlaceholder => "说说转发理由（可选）", "Add a comment (optional)";
    Comment => "评论", "Comment";
    Comments => "评论", "Comments";
    CommentPlaceholder => "写下你的评论", "Write a comment";
    CommentButton => "评论", "Comment";
    ReplyTo => "回复 {}", "Reply to {}";
    Reply => "回复", "Reply";
    NoComments => "还没有评论", "No comments yet";
    MoreComments => "更多评论", "More comments";
    Like => "赞", "Like";
    Unlike => "取消赞", "Unlike";
    Delete => "删除", "Delete";
    ConfirmDelete => "确定删除吗？", "Delete this?";
    LoginToInteract => "登录后可以评论、转发和点赞", "Log in to comment, repost and like";
    // Media (R2.2)
    MediaLabel => "图片或视频", "Images or video";
    MediaHint => "最多 9 张图片（JPEG、PNG、GIF、WebP，每张不超过 {} MiB）或 1 个视频（MP4、WebM，不超过 {} MiB）", "Up to 9 images (JPEG, PNG, GIF, WebP, at most {} MiB each) or 1 video (MP4, WebM, at most {} MiB)";
    AltLabel => "图片描述（供视障用户使用），每行对应一个文件", "Descriptions for people who cannot see the images, one line per file";
    ImageNoAlt => "图片", "Image";
    VideoNoAlt => "视频", "Video";
    VideoFallback => "你的浏览器无法播放此视频，点此下载", "Your browser cannot play this video: download it";
    FilesNotKept => "出于安全原因，浏览器不会保留已选的文件，请重新选择。", "For your safety the browser does not keep chosen files: please choose them again.";
    ErrMediaRefused => "无法接受该文件", "This file cannot be accepted";
    ErrMediaEmpty => "文件“{}”是空的", "The file \"{}\" is empty";
    ErrMediaType => "不支持文件“{}”的格式：只接受 JPEG、PNG、GIF、WebP 图片和 MP4、WebM 视频（按文件内容判断，与文件名无关）", "The file \"{}\" is not a supported type: only JPEG, PNG, GIF and WebP images and MP4 and WebM videos are accepted (judged by the content, not the name)";
    ErrMediaMarkup => "文件“{}”中夹带了网页或脚本代码，不能上传", "The file \"{}\" hides web page or script code and cannot be uploaded";
    ErrMediaTooLarge => "文件“{}”太大：{} MiB，上限 {} MiB", "The file \"{}\" is too large: {} MiB, the limit is {} MiB";
    ErrMediaPixels => "图片“{}”尺寸过大：{}×{} 像素，长宽上限各 {} 像素", "The image \"{}\" is too big: {}×{} pixels, the limit is {} pixels a side";
    ErrMediaDamaged => "文件“{}”已损坏或不完整", "The file \"{}\" is damaged or incomplete";
    ErrMediaTooMany => "一条微博最多带 9 张图片，或者 1 个视频（不能同时带图片）", "A post carries at most 9 images, or one video (without images)";
    ErrAltTooLong => "图片描述不能超过 {} 字", "A description may have at most {} characters";
    Avatar => "头像", "Avatar";
    AvatarUpload => "更换头像", "Change avatar";
    AvatarHint => "JPEG、PNG、GIF 或 WebP 图片", "A JPEG, PNG, GIF or WebP image";
    ErrAvatarMissing => "请选择一个图片文件", "Choose an image file";
    ErrAvatarNotImage => "头像必须是图片，不能是视频", "An avatar must be an image, not a video";
    // Timelines
    HomeTitle => "首页", "Home";
    PublicTitle => "广场", "Public timeline";
    TagTitle => "话题 #{}#", "Topic #{}";
    Older => "更早的微博", "Older posts";
    EmptyTimeline => "这里还没有内容", "Nothing here yet";
    EmptyHome => "还没有内容。去广场看看，关注感兴趣的人吧。", "Nothing yet. Visit the public timeline and follow people you like.";
    WelcomeTitle => "欢迎来到 {}", "Welcome to {}";
    WelcomeText => "登录后可以发微博、关注他人。", "Log in to post and follow people.";
    // Search and people (issue 17)
    NavSearch => "搜索", "Search";
    NavPeople => "发现", "People";
    SearchPlaceholder => "搜索微博、用户、话题", "Search posts, people, topics";
    SearchTitle => "搜索", "Search";
    SearchResultsTitle => "搜索“{}”", "Search: “{}”";
    SearchTabPosts => "微博", "Posts";
    SearchTabAccounts => "用户", "People";
    SearchTabTags => "话题", "Topics";
    SearchEmptyQuery => "请输入要搜索的文字、字母或数字。", "Type the words, letters or numbers to search for.";
    SearchTooLong => "搜索内容太长：最多 {} 个字。", "The search is too long: at most {} characters.";
    SearchHint => "一个字也能搜；多个词之间用空格分开，结果须包含全部词语。", "Even one Chinese character works; separate several words with spaces to find results holding all of them.";
    SearchNoPosts => "没有找到相关微博。", "No posts found.";
    SearchNoAccounts => "没有找到相关用户。", "No people found.";
    SearchNoTags => "没有以此开头的话题。", "No topics start with this.";
    SearchNewer => "更新的结果", "Newer results";
    SearchOlder => "更早的结果", "Older results";
    SearchMorePeople => "更多用户", "More people";
    TagPostCount => "{} 条公开微博", "{} public posts";
    FollowerCount => "{} 位粉丝", "{} followers";
    PeopleTitle => "发现用户", "People";
    PeopleNewest => "新成员", "Newest members";
    PeopleMostFollowed => "粉丝最多", "Most followed";
    PeopleSameType => "与你同类的账号（{}）", "Accounts like yours ({})";
    WhoToFollow => "你可能想关注", "Who to follow";
    FollowedByYours => "你关注的人中有 {} 位关注了 TA", "Followed by {} people you follow";
    PeopleAll => "查看更多用户", "See more people";
    // Profiles
    Posts => "微博", "Posts";
    Followers => "粉丝", "Followers";
    Following => "关注", "Following";
    Follow => "关注", "Follow";
    Unfollow => "取消关注", "Unfollow";
    FollowsYou => "关注了你", "Follows you";
    JoinedOn => "{} 加入", "Joined {}";
    FollowersOf => "{} 的粉丝", "Followers of {}";
    FollowingOf => "{} 关注的人", "Accounts {} follows";
    NobodyYet => "还没有人", "Nobody yet";
    ErrFollowSelf => "不能关注自己", "You cannot follow yourself";
    ProfileSettings => "个人资料", "Profile";
    SettingsTitle => "设置", "Settings";
    SettingsProfileText => "昵称、简介和头像。", "Display name, bio and avatar.";
    SettingsPasswordText => "修改登录密码。", "Change the password you log in with.";
    SettingsIdentityText => "实名认证：发布、评论和转发前须完成。", "Real-name identity: needed before you post, comment or repost.";
    SettingsVerificationText => "申请个人或机构认证标识。", "Apply for a verified badge for a person or an organisation.";
    SettingsCreditText => "信用分、变动记录和申诉。", "Your credit score, its history and appeals.";
    SettingsComplaintsText => "查询投诉处理进度，查看你提交的投诉。", "Follow a complaint by its tracking number; the complaints you filed.";
    SettingsExportText => "下载你的微博、评论、关注等全部数据。", "Download your posts, comments, follows and everything else.";
    SettingsCloseText => "注销账号，并了解哪些信息会保留多久。", "Close your account, and see what is kept and for how long.";
    SettingsLanguage => "界面语言", "Language";
    SettingsLanguageText => "选择页面显示的语言，保存在本浏览器中。", "The language pages are shown in, kept in this browser.";
    MyComplaintsTitle => "我的投诉", "My complaints";
    DisplayName => "昵称", "Display name";
    Bio => "简介", "Bio";
    Save => "保存", "Save";
    Saved => "已保存", "Saved";
    ErrDisplayNameLong => "昵称不能超过 30 个字", "The display name may have at most 30 characters";
    ErrBioLong => "简介不能超过 160 个字", "The bio may have at most 160 characters";
    // Notifications
    NotificationsTitle => "通知", "Notifications";
    NoNotifications => "暂无通知", "No notifications";
    NotifFollow => "关注了你", "followed you";
    NotifComment => "评论了你的微博", "commented on your post";
    NotifReply => "回复了你的评论", "replied to your comment";
    NotifRepost => "转发了你的微博", "reposted your post";
    NotifLike => "赞了你的微博", "liked your post";
    NotifMention => "提到了你", "mentioned you";
    Unread => "未读", "Unread";
    // Admin
    AdminTitle => "管理后台", "Administration";
    AdminSettingsTitle => "站点设置", "Site settings";
    SiteName => "站点名称", "Site name";
    IcpFiling => "ICP 备案号", "ICP filing number";
    PsbFiling => "公安备案号", "Public security filing number";
    NewsLicence => "互联网新闻信息服务许可证编号（如有）", "News information service licence number (if any)";
    FooterNote => "页脚说明（运营者、联系方式）", "Footer note (operator, contact)";
    AgreementText => "服务协议全文", "Service agreement text";
    RulesText => "平台规则全文", "Platform rules text";
    PublishNewVersion => "发布为新版本（所有用户下次访问时须重新同意）", "Publish as a new version (every member must accept it again)";
    CurrentVersion => "当前为第 {} 版", "Current version: {}";
    RecentLog => "最近的操作日志", "Recent activity log";
    LogTime => "时间", "Time";
    LogAccount => "账号", "Account";
    LogSource => "来源", "Source";
    LogAction => "操作", "Action";
    LogTarget => "对象", "Target";
    LogOutcome => "结果", "Outcome";
    LogUserAgent => "客户端", "User agent";
    LogsTitle => "操作日志", "Activity log";
    LogIp => "来源 IP", "Source IP";
    LogFrom => "起始日期", "From";
    LogTo => "截止日期（含）", "To (inclusive)";
    LogFilterButton => "筛选", "Filter";
    LogNoEntries => "没有符合条件的日志", "No entries match";
    LogUnknownAccount => "没有名为 {} 的账号", "No account is named {}";
    LogBadDate => "日期无效：{}（格式如 2026-03-01）", "Not a date: {} (write e.g. 2026-03-01)";
    OlderEntries => "更早的日志", "Older entries";
    Visibility => "可见范围", "Visibility";
    // A member's own data (R7.6)
    YourData => "你的数据", "Your data";
    ExportTitle => "下载我的数据", "Download my data";
    ExportIntro => "打包下载你的微博、评论、关注、点赞、资料设置和本账号的操作日志（JSON 格式）。准备好后可在本页下载，保留 {} 天。", "A zip of your posts, comments, follows, likes, profile settings and your account's activity log, as JSON. When it is ready you can download it here for {} days.";
    ExportStart => "准备下载文件", "Prepare a download";
    ExportPending => "正在准备，请稍后刷新本页。", "Being prepared: reload this page in a moment.";
    ExportReady => "已准备好（{}，{} 字节）：", "Ready ({}, {} bytes):";
    ExportDownload => "下载 zip 文件", "Download the zip file";
    ExportFailed => "准备失败，请重试。", "Preparing it failed; please try again.";
    ExportReadme => "这是你在本站的个人数据：account.json 账号，settings.json 资料与同意的协议版本，posts.json 微博（含已删除），comments.json 评论，follows.json 关注与粉丝，likes.json 点赞，activity_log.json 本账号的操作日志，identity.json 实名信息（仅部分显示），media.json 与 media/ 文件夹是你上传的图片、视频和头像，complaints.json 你提交的投诉，credit.json 你的信用记录。时间均为 UTC Unix 秒。", "This is your personal data on this site: account.json your account, settings.json your profile and the agreement version you accepted, posts.json your posts (deleted ones included), comments.json your comments, follows.json who you follow and who follows you, likes.json your likes, activity_log.json your account's activity log, identity.json your identity (masked), media.json and the media/ folder the pictures, videos and avatars you uploaded, complaints.json the complaints you filed, credit.json your credit history. Times are UTC unix seconds.";
    CloseTitle => "注销账号", "Close my account";
    CloseGone => "注销后立即删除：你的资料、微博、评论、点赞、关注和通知从所有页面消失，微博和评论的文字被抹去；所有登录会话失效，之后无法再登录。", "What goes at once: your profile, posts, comments, likes, follows and notifications disappear from every page, and the text of your posts and comments is erased; you are logged out everywhere and cannot log in again.";
    CloseKeptTitle => "依法保留的内容", "What is kept, as the law requires";
    CloseKeptUsername => "用户名：永久保留，任何人都不能再注册。", "Your username, for good: nobody can register it again.";
    CloseKeptLog => "本账号的操作日志（时间、IP 地址和端口、客户端、操作）：每条自记录起保留 {} 天（法律要求至少 180 天），到期自动删除。", "Your account's activity log (times, IP addresses and ports, user agents, actions): each entry for {} days after it was recorded (the law requires at least 180), then deleted automatically.";
    CloseKeptEvidence => "因违反规定被管理人员删除的内容作为证据依法保留；你删除的微博和评论的原文也作为证据记录保留至保存期满，仅管理人员可见。", "Content that staff removed for breaking the rules is kept as evidence, as the law requires; the text of posts and comments you delete is also kept as an evidence record, seen only by staff, until its retention period ends.";
    CloseDownloadFirst => "注销前，你可以先下载自己的数据：", "Before closing, you can download your data:";
    ClosePassword => "请输入密码确认", "Enter your password to confirm";
    CloseButton => "永久注销账号", "Close my account for good";
    ClosedTitle => "账号已注销", "Your account is closed";
    ClosedText => "你的内容已从所有页面移除。依法保留的记录将按上述期限自动删除。", "Your content is gone from every page. What the law requires is kept for the periods stated and then deleted automatically.";
    ErrWrongPassword => "密码错误", "Wrong password";
    ErrStaffCannotClose => "管理人员账号须先由其他管理员撤销其角色后才能注销。", "A staff account can be closed only after another admin has removed its roles.";
    // Content governance (R6.2-R6.6, R11.1, R12.1-R12.3)
    UnderReview => "审核中：仅你自己可见", "Under review: only you can see this";
    ProfileUnderReview => "你的资料修改正在审核，通过后生效。", "Your profile change is under review and takes effect once approved.";
    ErrUnderReview => "这条内容正在审核，暂时不能互动", "This is under review and cannot be interacted with yet";
    ErrBlocked => "内容不符合平台规则，无法发布。", "This cannot be published: it does not meet the platform rules.";
    ErrPublishingStopped => "平台暂停发布新内容，请稍后再试。", "Publishing is paused on this site for now; please try again later.";
    ErrRepostsStopped => "平台暂停转发，请稍后再试。", "Reposting is paused on this site for now; please try again later.";
    RumourLabel => "不实信息", "False information";
    RumourRefutingPost => "查看辟谣", "See the refutation";
    StaffManage => "管理", "Manage";
    NotifDetail => "：{}", ": {}";
    NotifRejected => "你发布的内容未通过审核", "Your content was not approved";
    NotifRemoved => "你发布的内容已被删除", "Your content was removed";
    NotifRumour => "你发布或参与互动的微博被标记为不实信息", "A post you wrote or took part in is labelled false information";
    NotifRumourWithdrawn => "你参与互动的微博的不实信息标记已撤销", "The false-information label on a post you took part in was withdrawn";
    WorkloadTitle => "审核工作量", "Review workload";
    WorkloadHeld => "待审核", "Waiting for review";
    WorkloadOldest => "最早一条已等待", "Oldest waiting for";
    WorkloadFlagged => "待查看的标记内容", "Flagged, not yet looked at";
    WorkloadRumours => "待总编辑决定的不实信息标记", "Labels waiting for the chief editor";
    AgeSeconds => "{} 秒", "{} s";
    AgeMinutes => "{} 分钟", "{} min";
    AgeHours => "{} 小时 {} 分钟", "{} h {} min";
    AgeDays => "{} 天 {} 小时", "{} d {} h";
    ReviewTitle => "审核队列", "Review queue";
    FlaggedTitle => "标记内容", "Flagged content";
    QueueEmpty => "没有待处理的内容", "Nothing waiting";
    QueueHistory => "审核记录", "Review history";
    ReviewDone => "已处理 {} 条", "{} decided";
    MoreItems => "更多", "More";
    CauseKeyword => "关键词规则", "keyword rule";
    CauseEmergency => "应急模式", "emergency mode";
    CauseTier => "分级规则", "tier rule";
    MatchedRule => "命中规则：{}（{}）", "matched rule: {} ({})";
    ParentPost => "微博 #{}", "post #{}";
    Category => "类别", "Category";
    CategoryHint => "如 politics、porn、fraud、ads、rumour", "e.g. politics, porn, fraud, ads, rumour";
    Approve => "通过所选", "Approve chosen";
    Reject => "拒绝所选", "Reject chosen";
    ApproveAll => "本页 {} 条全部通过", "Approve all {} on this page";
    RejectAll => "本页 {} 条全部拒绝", "Reject all {} on this page";
    Dismiss => "无需处理", "Dismiss";
    DismissAll => "本页 {} 条全部无需处理", "Dismiss all {} on this page";
    RemoveChosen => "删除所选", "Remove chosen";
    ErrNothingChosen => "请先选择要处理的内容", "Choose something first";
    ErrReasonRequired => "请填写理由", "Give a reason";
    ErrStaffTextLong => "不能超过 {} 个字", "At most {} characters";
    ErrCategoryLong => "类别不能超过 {} 个字", "The category may have at most {} characters";
    ErrNotLive => "该内容已不在线，无法删除", "This is no longer live and cannot be removed";
    ErrNotRemoved => "该内容未被删除", "This was not removed";
    Status => "状态", "Status";
    StatusPublished => "已发布", "published";
    StatusPending => "审核中", "under review";
    StatusRejected => "未通过审核", "rejected";
    StatusDeleted => "作者已删除", "deleted by its author";
    StatusRemoved => "已被管理员删除", "removed by staff";
    StatusHidden => "已被博主隐藏", "hidden by the post's author";
    StaffPostTitle => "微博 #{}", "Post #{}";
    StaffCommentTitle => "评论 #{}", "Comment #{}";
    RemoveTitle => "删除（保留证据）", "Remove (evidence is kept)";
    Remove => "删除", "Remove";
    RestoreTitle => "撤销删除（总编辑）", "Reverse the removal (chief editor)";
    Restore => "恢复", "Restore";
    ProposeRumour => "提议标记为不实信息", "Propose a false-information label";
    RumourOnOriginal => "标记将加在原微博 #{} 上，并显示在它的每一条转发中。", "The label goes on the original, post #{}, and shows on every repost of it.";
    Refutation => "辟谣说明", "Refutation";
    RefutingPost => "辟谣微博（可选，编号或链接）", "Refuting post (optional, number or link)";
    Propose => "提交给总编辑", "Send to the chief editor";
    ErrRefutationRequired => "请填写辟谣说明", "Write the refutation";
    ErrRefutingPost => "辟谣微博不存在或未发布", "The refuting post does not exist or is not published";
    ErrRumourExists => "这条微博已有待决定或已确认的标记", "This post already has a proposed or confirmed label";
    ErrRumourState => "该标记已被处理", "This label was already decided";
    RumoursTitle => "不实信息标记", "False-information labels";
    RumoursProposed => "待总编辑决定", "Waiting for the chief editor";
    RumoursConfirmed => "已确认的标记", "Confirmed labels";
    ProposedBy => "{} 提议于 {}", "proposed by {} on {}";
    Confirm => "确认", "Confirm";
    Decline => "驳回", "Decline";
    Withdraw => "撤销标记", "Withdraw the label";
    RumourDone => "已处理，通知了 {} 人", "Done; {} people notified";
    TakedownTitle => "批量删除", "Bulk takedown";
    TakedownHint => "删除所有包含某个关键词（规范化后匹配）或带某个话题的微博，统一填写理由。先预览数量，再确认。", "Remove every post containing a keyword (matched after normalisation) or carrying a hashtag, with one shared reason. Preview the count first, then confirm.";
    Keyword => "关键词", "Keyword";
    Hashtag => "话题", "Hashtag";
    Preview => "预览", "Preview";
    TakedownCount => "共有 {} 条在线微博符合条件", "{} live posts match";
    TakedownChanged => "预览后数量有变化，现在为 {} 条，请再次确认。", "The count changed since the preview: it is now {}. Confirm again.";
    TakedownConfirm => "确认删除这 {} 条微博", "Remove these {} posts";
    TakedownDone => "已删除 {} 条微博", "{} posts removed";
    ErrTakedownWhat => "请填写关键词或话题（二选一）", "Give a keyword or a hashtag (one of them)";
    KeywordsTitle => "关键词规则", "Keyword rules";
    KeywordsHint => "匹配前对文本和规则做统一规范化（NFKC、大小写折叠、全角转半角、去除零宽字符、空格和标点）。屏蔽：拒绝发布并保留证据；审核：先审后发；标记：发布并列入标记内容。", "Texts and rules are normalised before matching (NFKC, case folding, full-width to half-width, zero-width characters, spaces and punctuation removed). Block: refused, with evidence kept; review: held until approved; flag: published and listed for staff.";
    AddRule => "添加规则", "Add a rule";
    RuleAction => "处理方式", "Action";
    ActionBlock => "屏蔽", "block";
    ActionReview => "先审后发", "review";
    ActionFlag => "标记", "flag";
    SearchRules => "搜索规则", "Search rules";
    ExportRules => "导出规则列表", "Export the rule list";
    RuleCount => "共 {} 条规则", "{} rules";
    ImportRules => "批量导入", "Import a rule list";
    ImportHint => "每行一条：关键词<Tab>类别<Tab>处理方式（block / review / flag）；类别默认 custom，处理方式默认 review；# 开头为注释。", "One rule a line: pattern<TAB>category<TAB>action (block / review / flag); the category defaults to custom, the action to review; lines starting with # are comments.";
    ImportReplace => "先删除全部现有规则", "Delete every existing rule first";
    ImportBadLine => "第 {} 行：{}", "Line {}: {}";
    ErrPatternEmpty => "关键词规范化后为空（只有标点、空格或不可见字符）", "The pattern is empty after normalisation (only punctuation, spaces or invisible characters)";
    ErrPatternLong => "关键词不能超过 {} 个字", "A pattern may have at most {} characters";
    EmergencyTitle => "应急处置", "Emergency mode";
    EmergencyHint => "每个开关立即在全站生效，每次变更都记入操作日志。", "Each switch takes effect at once, site-wide; every change is logged.";
    EmergencyHoldAll => "所有新内容（微博、评论、转发）先审后发", "Hold all new content (posts, comments, reposts) for review";
    EmergencyStopReposts => "暂停转发", "Stop reposts";
    EmergencyStopPublishing => "暂停一切发布", "Stop all new publishing";
    EmergencyBanner => "全站横幅（留空则不显示）", "Banner on every page (empty: none)";
    EvidenceTitle => "证据记录", "Evidence records";
    EvidenceHint => "删除、审核拒绝、关键词屏蔽和作者自行删除的内容都会留下不可修改的证据记录。导出：plaza evidence export。", "Every removal, rejection, keyword block and author deletion leaves an evidence record that cannot be changed. Export: plaza evidence export.";
    EvidenceKindLabel => "类型", "Kind";
    EvidenceRemoval => "管理员删除", "removal";
    EvidenceRejection => "审核拒绝", "rejection";
    EvidenceBlock => "关键词屏蔽", "keyword block";
    EvidenceAuthorDelete => "作者删除", "author deletion";
    EvidenceRecordTitle => "证据记录 #{}", "Evidence record #{}";
    EvidenceIntact => "记录的 SHA-256 与内容一致。", "The record's SHA-256 matches its content.";
    EvidenceTampered => "记录的 SHA-256 与内容不一致！", "The record's SHA-256 does not match its content!";
    Excerpt => "原文", "Original text";
    ParentLabel => "所属", "Belongs to";
    PublishedAt => "发布时间", "Published";
    RuleLabel => "规则", "Rule";
    Decider => "决定人", "Decided by";
    Sha256Label => "SHA-256", "SHA-256";
    UsersTitle => "账号与角色", "Accounts and roles";
    StaffOnly => "只看管理人员", "Staff only";
    Roles => "角色", "Roles";
    RoleReviewer => "审核员", "reviewer";
    RoleChiefEditor => "总编辑", "chief editor";
    RoleAdmin => "管理员", "admin";
    GrantRole => "设为{}", "make {}";
    RevokeRole => "撤销{}", "remove {}";
    ErrLastAdmin => "不能撤销最后一位管理员的管理员角色", "The last admin cannot lose the admin role";
    ErrAccountClosed => "该账号已注销", "This account is closed";
    // Real-name identity (R7.1-R7.5)
    NavReview => "审核", "Review";
    ErrIdentityRequired => "请先完成实名认证", "Verify your identity first";
    IdentityRequiredText => "根据规定，发布微博、评论和转发前须绑定并核验真实身份信息（手机号和身份证件号码）。浏览、关注和点赞不受影响。", "By law, posting, commenting and reposting need a verified real identity (mobile number and ID number). Reading, following and liking work without one.";
    IdentityBindLink => "去实名认证", "Verify my identity";
    KeptText => "你写的内容（未发布，可复制保存）", "What you wrote (not published; copy it to keep it)";
    Reason => "理由", "Reason";
    ErrReasonLength => "理由须为 {}-{} 个字", "The reason must be {} to {} characters long";
    ErrReasonShort => "请填写理由（至少 4 个字）", "Give a reason (at least 4 characters)";
    IdentityTitle => "实名认证", "Identity verification";
    IdentityIntro => "你的身份信息只用于依法实名（后台实名），加密保存，页面上只显示部分内容，不会向其他用户展示。", "Your identity is used only for the legally required real-name check. It is stored encrypted, shown only in part, and never shown to other members.";
    IdCodeSent => "验证码已发送到你的手机，10 分钟内有效。", "A code was sent to your mobile; it is valid for 10 minutes.";
    IdMobileConfirmed => "手机号已确认。", "Your mobile number is confirmed.";
    IdCodeWait => "发送太频繁，请 {} 秒后再试。", "Codes are sent at most once a minute: try again in {} seconds.";
    IdCodeDailyLimit => "今天发送的验证码已达上限，请约 {} 小时后再试。", "Today's limit of codes is reached: try again in about {} hours.";
    IdCodeNotSent => "验证码暂时无法发送，请稍后点“重新发送”。", "The code could not be sent just now: press “Send a new code” in a moment.";
    IdErrNumberTaken => "该证件号码已绑定其他账号。", "This ID number already backs another account.";
    IdBindFirst => "请先填写并提交身份信息。", "Fill in and send your identity first.";
    IdCodeWrong => "验证码不正确，还可以再试 {} 次。", "Wrong code: {} tries left.";
    IdCodeDead => "验证码错误次数过多，已失效，请重新获取。", "Too many wrong tries: this code is dead, ask for a new one.";
    IdCodeExpired => "验证码已过期，请重新获取。", "The code has expired: ask for a new one.";
    IdCodeNone => "没有待确认的验证码，请先获取。", "There is no code waiting: ask for one first.";
    IdNotPending => "该身份信息不在待审核状态。", "This identity is not waiting for confirmation.";
    IdSubjectType => "主体类型", "Subject type";
    IdLegalName => "真实姓名或机构全称", "Legal name";
    IdNumber => "证件号码", "Number";
    IdMobile => "手机号", "Mobile number";
    IdErrSubjectType => "请选择有效的主体类型", "choose a valid subject type";
    IdErrEmpty => "请填写", "please fill it in";
    IdErrLength => "位数不对", "it has the wrong number of characters";
    IdErrCharacter => "含有不允许的字符", "it contains a character that is not allowed there";
    IdErrCheck => "校验位不符，请检查是否输错", "the check character does not match: look for a typing mistake";
    IdErrBirthDate => "号码中的出生日期不存在", "the birth date inside it is not a real date";
    IdErrBirthFuture => "号码中的出生日期晚于今天", "the birth date inside it is in the future";
    IdErrRegion => "号码中的地区代码无效", "the region code inside it is not valid";
    IdErrAuthority => "第 1 位不是有效的登记管理部门代码", "its first character is not a known registration authority";
    IdErrOrgType => "第 2 位不是该登记管理部门的机构类别", "its second character is not an organisation type of that authority";
    IdErrEmbedded => "第 9-17 位（组织机构代码）校验不符", "the organisation code inside it (characters 9 to 17) fails its check";
    IdErrCountry => "只接受中国大陆手机号（+86）", "only mainland China mobile numbers (+86) are accepted";
    IdErrPrefix => "大陆手机号以 13-19 开头", "a mainland mobile number starts with 13 to 19";
    IdErrLegalName => "须为 2-100 个字的真实名称", "it must be a real name of 2 to 100 characters";
    SubjectIndividual => "个人", "Individual";
    SubjectOrganisation => "企业或机构", "Organisation";
    SubjectGovernment => "政府机构", "Government";
    SubjectMedia => "媒体", "Media";
    SubjectForeignOrg => "境外机构", "Foreign organisation";
    IdStatusUnverified => "未认证", "Unverified";
    IdStatusPending => "待核验", "Pending";
    IdStatusVerified => "已认证", "Verified";
    IdStatusExpired => "需重新核验", "Expired";
    IdNumberId => "居民身份证号码", "Resident ID number";
    IdNumberCredit => "统一社会信用代码", "Unified social credit code";
    IdNumberOrg => "组织机构代码", "Organisation code";
    IdNumberAny => "身份证号码或统一社会信用代码", "ID number or credit code";
    IdNumberHint => "个人填写居民身份证号码（18 位，旧 15 位号码也可）；机构填写统一社会信用代码（18 位），2015 年前登记的机构也可填写组织机构代码。", "Individuals: resident ID number (18 characters; old 15-digit numbers work too). Organisations: unified social credit code (18 characters), or the organisation code of bodies registered before 2015.";
    IdStatus => "状态", "Status";
    IdVerifiedAt => "认证时间", "Verified on";
    IdNextCheck => "下次核验", "Next check";
    IdYouMayPublish => "你的身份已认证，可以发布内容。", "Your identity is verified: you can post.";
    IdPendingWebhook => "手机号已确认，正在核验身份信息，请稍后刷新。", "Mobile confirmed; your identity is being checked: reload in a moment.";
    IdPendingStaff => "手机号已确认，等待管理员核验身份信息。", "Mobile confirmed; an administrator will confirm your identity.";
    IdExpiredText => "身份信息已到定期核验日期，请重新获取验证码确认手机号后继续发布。", "Your identity is due for its periodic check: confirm your mobile with a new code to post again.";
    IdRefusedBecause => "未通过核验：", "Not accepted:";
    IdCodeTitle => "确认手机号", "Confirm your mobile";
    IdCodeValidUntil => "验证码在 {} 前有效。", "The code is valid until {}.";
    IdCode => "6 位验证码", "6-digit code";
    IdConfirmButton => "确认", "Confirm";
    IdSendCode => "重新发送验证码", "Send a new code";
    IdBind => "填写身份信息", "Fill in your identity";
    IdRebind => "修改身份信息（需重新核验）", "Change your identity (verified again)";
    IdOverrideAsk => "我的统一社会信用代码与营业执照一致，请人工核对（部分早期代码无法通过校验）", "My credit code is exactly as on the licence: please check it by hand (some early codes fail their check)";
    IdPrivacy => "提交即表示同意本站依法收集并加密保存上述信息，仅在法律要求时由管理员查看，每次查看都有记录。", "By sending this you agree that the site keeps it encrypted as the law requires; administrators see it only when the law requires, and every look is recorded.";
    IdBindButton => "提交并发送验证码", "Send and get a code";
    IdentitiesTitle => "实名信息", "Identities";
    IdAll => "全部", "All";
    IdCheckFailed => "校验未通过", "fails its check";
    IdRevealLogged => "本次查看已记录", "this look is recorded";
    IdAccountClosed => "账号已注销：身份信息依法保留至保留期满后删除。", "The account is closed: the identity is kept for the legal retention period, then deleted.";
    IdConfirmedBy => "由 @{} 核验（{}）", "Confirmed by @{} ({})";
    IdConfirmedVia => "核验方式：{}", "Confirmed by: {}";
    IdCheckFailedText => "该代码未通过校验位检查。请核对营业执照原件后再人工确认，确认将被记录。", "This code fails its check character. Confirm only after checking the licence itself; the override is recorded.";
    IdOverriddenBy => "@{} 于 {} 人工确认", "Accepted by hand by @{} on {}";
    IdConfirmText => "手机号已确认。核对身份信息无误后确认。", "The mobile is confirmed. Confirm once the identity is checked.";
    IdConfirmOverrideText => "确认即表示你已核对营业执照原件，代码无误（人工确认将被记录）。", "Confirming says you checked the licence itself and the code is right (the override is recorded).";
    IdConfirmStaff => "确认身份", "Confirm identity";
    IdCheckTitle => "核对身份", "Check the identity";
    IdCheckIntro => "确认前请核对完整的法定姓名与证件号码。点击后显示本条记录的完整信息，查看将记入操作日志。", "Before confirming, check the full legal name and number. The button shows this record's values in full; the look is logged.";
    IdCheckButton => "显示完整信息并核对", "Show in full and check";
    IdCheckShownText => "以下为完整信息，仅供本次核对；本次查看已记入操作日志。", "The values in full, for this check only; this look is logged.";
    IdCheckReason => "确认前核对", "checked before confirming";
    IdRejectStaff => "不予通过", "Refuse";
    IdRecheckText => "要求该用户下次核验时重新提交审核（不只是短信验证码）。", "Ask this member for a full check at the next verification, not only a mobile code.";
    IdRecheckButton => "要求重新核验", "Ask for a full re-check";
    IdRevealTitle => "查看完整信息", "Reveal a value";
    IdRevealText => "仅在法律要求时查看，须填写理由；每次查看都会记录查看人、时间、对象和理由。", "Only when the law requires it, with a reason; every reveal records who, when, whose and why.";
    IdRevealField => "查看内容", "Value";
    IdRevealButton => "查看", "Reveal";
    IdRevealHistory => "查看记录", "Reveal history";
    IdNoReveals => "尚无查看记录", "Never revealed";
    OutboxTitle => "短信发件箱", "SMS outbox";
    OutboxIntro => "本站未接入短信服务：验证码记录在这里（及数据目录 outbox/sms.log），请转告对应用户。手机号已隐藏，如需完整号码请在实名信息中查看（会被记录）。", "No SMS service is connected: codes are listed here (and in outbox/sms.log in the data folder) for staff to pass on. Numbers are masked; reveal one in Identities if needed (recorded).";
    OutboxWebhook => "验证码通过短信接口发送；以下为接入前的记录。", "Codes go out through the SMS webhook; below are messages from before it was set.";
    OutboxEmpty => "发件箱是空的", "The outbox is empty";
    OutboxText => "内容", "Message";
    // Verified badges (R8.1, R10.1)
    VerificationTitle => "认证标识", "Verified badge";
    VerificationsTitle => "认证审核", "Verifications";
    VerIntro => "自愿申请认证标识（前台实名）：认证名称须与你的实名信息一致，并上传证明材料。个人为身份证件，企业和机构为营业执照或统一社会信用代码证书，境外机构为其在华机构出具的证明。", "Apply for a verified badge if you wish: the certified name must match your verified identity, with proof documents: an ID document for individuals, a business licence or credit-code certificate for organisations, and for foreign organisations a proof issued by their office in China.";
    VerApplied => "申请已提交，审核结果将通知你。", "Your application is sent; you will be notified of the decision.";
    VerAppliedOn => "{} 提交", "Applied {}";
    VerNeedsIdentity => "申请认证前须先完成实名认证。", "Verify your identity before applying.";
    VerType => "认证类型", "Type";
    VerCertifiedName => "认证名称", "Name to certify";
    VerNameRule => "须与实名信息中的真实姓名或机构全称一致。", "Must be your legal name as bound in your identity.";
    VerProofs => "证明材料（PDF、JPEG 或 PNG，每个不超过 {} MiB，最多 5 个）", "Proof documents (PDF, JPEG or PNG, at most {} MiB each, up to 5)";
    VerProofIndividual => "个人：身份证件照片或扫描件", "Individuals: a photo or scan of your ID document";
    VerProofOrganisation => "企业、政府机构、媒体：营业执照或统一社会信用代码证书", "Organisations, government, media: business licence or credit-code certificate";
    VerProofForeign => "境外机构：其在中国境内机构出具的证明", "Foreign organisations: a proof issued by their office in China";
    VerApplyButton => "提交申请", "Apply";
    VerAlreadyOpen => "你已有待审核的申请或已获得认证标识。", "You already have an application waiting or a badge.";
    VerKindMismatch => "认证类型与实名信息的主体类型不符（个人只能申请个人认证，机构只能申请机构类认证）。", "The type does not fit the identity: an individual applies as an individual, an organisation as one of the organisation types.";
    VerProofCount => "请上传 1 到 {} 个证明材料。", "Upload 1 to {} proof documents.";
    ProofErrType => "文件“{}”不是 PDF、JPEG 或 PNG 文件", "The file \"{}\" is not a PDF, JPEG or PNG file";
    VerNameMismatch => "认证名称与申请人实名信息中的名称不一致，不能通过。", "The certified name does not match the applicant's legal name: it cannot be approved.";
    VerNameMatches => "认证名称与实名信息一致。", "The certified name matches the legal name.";
    VerApplicantNotVerified => "申请人的实名信息未认证或已过期。", "The applicant's identity is not verified, or has expired.";
    VerNotPending => "该申请已处理。", "This application was already decided.";
    VerPending => "审核中", "Waiting";
    VerApproved => "已认证", "Approved";
    VerRejected => "未通过", "Rejected";
    VerRevoked => "已撤销", "Revoked";
    VerNoProofs => "没有材料", "No documents";
    VerQueue => "待审核", "Waiting";
    VerQueueEmpty => "没有待审核的申请", "No applications waiting";
    VerApprove => "通过", "Approve";
    VerReject => "驳回", "Reject";
    VerRevoke => "撤销认证", "Revoke";
    VerBadges => "已认证账号", "Verified accounts";
    VerClosed => "最近驳回或撤销", "Recently rejected or revoked";
    BadgeLabel => "已认证（{}）", "Verified ({})";
    BadgeCertified => "{}认证：{}", "Verified {}: {}";
    NotifIdentityVerified => "你的实名信息已通过核验", "Your identity is verified";
    NotifIdentityRejected => "你的实名信息未通过核验", "Your identity was not accepted";
    NotifVerificationApproved => "你的认证申请已通过", "Your badge application was approved";
    NotifVerificationRejected => "你的认证申请未通过", "Your badge application was rejected";
    NotifVerificationRevoked => "你的认证标识已被撤销", "Your badge was revoked";
    // Activity-log actions in words (R16.1; the code stays in the filter and the export)
    ActAccessDenied => "访问被拒绝", "Access denied";
    ActAgreementAccept => "同意服务协议", "Agreement accepted";
    ActAgreementPublish => "发布新版协议", "Agreement published";
    ActCommentCreate => "发表评论", "Comment posted";
    ActCommentDelete => "删除自己的评论", "Own comment deleted";
    ActCommentHide => "博主隐藏评论", "Comment hidden by the post's author";
    ActCommentRemove => "管理员删除评论", "Comment removed by staff";
    ActCommentRemoveByAuthor => "博主删除评论", "Comment removed by the post's author";
    ActCommentRestore => "恢复评论", "Comment restored";
    ActCommentUnhide => "取消隐藏评论", "Comment shown again";
    ActComplaintAct => "处置投诉对象", "Action on a complaint's target";
    ActComplaintAssign => "分派投诉", "Complaint assigned";
    ActComplaintCreate => "提交投诉", "Complaint filed";
    ActComplaintResolve => "办结投诉", "Complaint resolved";
    ActCreditAdjust => "调整信用分", "Credit adjusted";
    ActCreditAppeal => "提交申诉", "Appeal filed";
    ActCreditAppealDecide => "处理申诉", "Appeal decided";
    ActCreditEvent => "信用分变动", "Credit event";
    ActCreditMonthly => "月度信用奖励", "Monthly credit bonus";
    ActDataBackup => "备份数据", "Backup";
    ActDataExportDownload => "下载个人数据", "Data download fetched";
    ActDataExportRequest => "申请下载个人数据", "Data download requested";
    ActDataRestore => "恢复数据", "Restore";
    ActDataSeed => "生成演示数据", "Demo data generated";
    ActDbRepair => "修复数据库", "Database repaired";
    ActEmergencySwitch => "切换应急模式", "Emergency switch";
    ActEvidenceExport => "导出证据", "Evidence exported";
    ActEvidencePrune => "清理过期证据", "Old evidence pruned";
    ActEvidenceView => "查看证据", "Evidence viewed";
    ActFeatureAssess => "登记安全评估", "Assessment recorded";
    ActFeatureOff => "关闭功能", "Feature off";
    ActFeatureOn => "开启功能", "Feature on";
    ActFeatureReportView => "查看评估报告", "Assessment report viewed";
    ActFilingExport => "导出备案数据", "Filing export";
    ActIdentityBind => "绑定实名信息", "Identity bound";
    ActIdentityCodeConfirm => "确认手机验证码", "Mobile code confirmed";
    ActIdentityCodeSend => "发送手机验证码", "Mobile code sent";
    ActIdentityConfirm => "人工确认身份", "Identity confirmed by staff";
    ActIdentityOverride => "人工核验覆盖", "Check overridden by staff";
    ActIdentityPurge => "清除注销账号身份信息", "Closed accounts' identities purged";
    ActIdentityRecheck => "定期复核", "Identity re-verified";
    ActIdentityRecheckRequest => "要求重新核验", "Re-verification requested";
    ActIdentityReject => "驳回实名信息", "Identity refused";
    ActIdentityReveal => "查看完整身份信息", "Identity value shown in full";
    ActIdentityVerify => "核验通过", "Identity verified";
    ActKeywordAdd => "添加关键词规则", "Keyword rule added";
    ActKeywordDelete => "删除关键词规则", "Keyword rule deleted";
    ActKeywordExport => "导出关键词规则", "Keyword rules exported";
    ActKeywordImport => "导入关键词规则", "Keyword rules imported";
    ActLogExport => "导出操作日志", "Log exported";
    ActLogPrune => "清理过期日志", "Old log entries pruned";
    ActLogReseal => "重新签署日志头", "Log head re-signed";
    ActLogView => "查看操作日志", "Log viewed";
    ActOutboxView => "查看短信发件箱", "Outbox viewed";
    ActPostBulkRemove => "批量删除", "Bulk takedown";
    ActPostCommentMode => "设置评论权限", "Comment setting changed";
    ActPostCreate => "发布微博", "Post published";
    ActSearch => "搜索", "Search";
    ActSearchRebuild => "重建搜索索引", "Search index rebuilt";
    ActPostDelete => "删除自己的微博", "Own post deleted";
    ActPostLike => "点赞", "Like";
    ActPostRemove => "管理员删除微博", "Post removed by staff";
    ActPostRepost => "转发微博", "Shared a post";
    ActPostRestore => "恢复微博", "Post restored";
    ActPostUnlike => "取消点赞", "Like withdrawn";
    ActReviewApprove => "审核通过", "Review: approved";
    ActReviewDismiss => "忽略标记", "Review: flag dismissed";
    ActReviewReject => "审核拒绝", "Review: rejected";
    ActRoleGrant => "授予角色", "Role granted";
    ActRoleRevoke => "撤销角色", "Role revoked";
    ActRumourConfirm => "确认不实信息标注", "Rumour label confirmed";
    ActRumourDecline => "不采纳不实信息标注", "Rumour label declined";
    ActRumourPropose => "提议不实信息标注", "Rumour label proposed";
    ActRumourWithdraw => "撤销不实信息标注", "Rumour label withdrawn";
    ActSettingChange => "修改站点设置", "Site setting changed";
    ActTierAdd => "添加分级规则", "Tier rule added";
    ActTierDelete => "删除分级规则", "Tier rule deleted";
    ActUserAvatarUpdate => "更换头像", "Avatar changed";
    ActUserClose => "注销账号", "Account closed";
    ActUserCreate => "创建账号", "Account created";
    ActUserFollow => "关注", "Follow";
    ActUserImport => "导入成员", "Members imported";
    ActUserLogin => "登录", "Login";
    ActUserLoginFailed => "登录失败", "Failed login";
    ActUserLogout => "退出登录", "Logout";
    ActUserPasswordChange => "修改密码", "Password changed";
    ActUserPasswordSet => "设置密码", "Password set";
    ActUserProfileUpdate => "修改个人资料", "Profile changed";
    ActUserSignup => "注册", "Sign-up";
    ActUserUnfollow => "取消关注", "Unfollow";
    ActVerificationApply => "申请认证", "Badge applied for";
    ActVerificationApprove => "认证通过", "Badge approved";
    ActVerificationProofView => "查看认证材料", "Proof document viewed";
    ActVerificationReject => "认证驳回", "Badge refused";
    ActVerificationRevoke => "撤销认证", "Badge revoked";
    // Targets named in words instead of `kind:id` (issue 13)
    TargetPost => "微博", "Post";
    TargetComment => "评论", "Comment";
    TargetUser => "账号", "Account";
    TargetComplaint => "投诉", "Complaint";
    TargetGone => "（已不存在）", "(no longer exists)";
    TargetRepost => "转发", "Repost";
    TierKindText => "文字", "Text";
    TierKindImage => "图片", "Image";
    TierKindVideo => "视频", "Video";
    TargetProfile => "资料修改", "Profile change";
    DecisionOpen => "待处理", "waiting";
    DecisionApproved => "已通过", "approved";
    DecisionRejected => "未通过", "rejected";
    DecisionDismissed => "已忽略", "dismissed";
    DecisionRemoved => "已删除", "removed";
    DecisionWithdrawn => "已撤回", "withdrawn";
    LabelProposed => "待确认", "proposed";
    LabelConfirmed => "已确认", "confirmed";
    LabelDeclined => "未采纳", "declined";
    LabelWithdrawn => "已撤销", "withdrawn";
    // Complaints (R14.1, R14.2)
    Complain => "投诉", "Complain";
    ComplaintTitle => "投诉举报", "Make a complaint";
    ComplaintIntro => "无需登录即可投诉；未登录时请留下联系方式，以便告知处理结果。提交后你会得到一个查询编号。", "You can complain without an account; then leave a contact so we can reach you. You get a tracking number when you send it.";
    ComplaintAbout => "投诉对象", "About";
    ComplaintCategory => "类别", "Category";
    ComplaintBody => "投诉内容", "What is wrong";
    ComplaintContact => "联系方式", "Contact";
    ComplaintContactHint => "未登录时必填（手机号或电子邮箱）。", "Required without an account (phone or e-mail).";
    ComplaintSend => "提交投诉", "Send complaint";
    ComplaintImages => "证据图片（可选，最多 4 张）", "Evidence images (optional, up to 4)";
    NotifCredit => "你的信用分有变动（可在信用分页面申诉扣分）", "Your credit score changed (you may appeal a penalty on the credit page)";
    NotifComplaintDecided => "你的投诉已办结", "Your complaint was decided";
    ComplaintStatusTitle => "投诉处理进度", "Complaint status";
    ComplaintLookupTitle => "查询投诉", "Find a complaint";
    ComplaintLookupButton => "查询", "Look up";
    ComplaintNotFound => "没有找到这个查询编号的投诉，请核对后重试（格式：TS-XXXX-XXXX-XXXX-XXXX）。", "No complaint has this tracking number; check it and try again (it looks like TS-XXXX-XXXX-XXXX-XXXX).";
    MyComplaintsEmpty => "你还没有提交过投诉。", "You have not filed a complaint.";
    ComplaintTracking => "查询编号", "Tracking number";
    ComplaintKeepNumber => "请保存此页面地址或查询编号，用于查看处理进度和结果。", "Keep this page's address or the number to follow the complaint and see its result.";
    ComplaintStatus => "状态", "Status";
    ComplaintFiled => "提交时间", "Filed";
    ComplaintDue => "处理时限", "Due";
    ComplaintResult => "处理结果", "Result";
    ComplaintOpen => "待处理", "Open";
    ComplaintInProgress => "处理中", "In progress";
    ComplaintResolved => "已处理（投诉成立）", "Resolved (upheld)";
    ComplaintRejected => "不予支持", "Rejected";
    ComplaintUpheld => "投诉成立", "Upheld";
    ComplaintOverdue => "已超时", "Overdue";
    ComplaintsTitle => "投诉处理", "Complaints";
    ComplaintsEmpty => "没有待处理的投诉", "No open complaints";
    ComplaintCount => "件数", "Count";
    ComplaintAssigned => "经办人", "Assigned to";
    ComplaintAssign => "分派", "Assign";
    ComplaintOpenLink => "处理", "Open";
    ComplaintsDecided => "最近处理", "Recently decided";
    ComplaintGroup => "同一对象的投诉（{} 件）", "Complaints about the same target ({})";
    ComplaintLabel => "标注不实信息", "Label as untrue (不实信息)";
    ComplaintRefutation => "辟谣说明", "Refutation";
    ComplaintRestrict => "限制账号（信用降为受限）", "Restrict the account (credit to restricted)";
    ComplaintResolve => "办结", "Resolve";
    CatProhibited => "违法违规内容", "Prohibited content";
    CatRumour => "谣言", "Rumour";
    CatFraud => "诈骗", "Fraud";
    CatHarassment => "骚扰辱骂", "Harassment";
    CatRights => "侵犯权益", "Infringement of rights";
    CatPrivacy => "隐私泄露", "Privacy";
    CatOther => "其他", "Other";
    ErrComplaintCategory => "请选择投诉类别。", "Choose a category.";
    ErrComplaintBody => "请填写投诉内容（不超过 {} 字）。", "Say what is wrong (at most {} characters).";
    ErrComplaintContact => "未登录时须填写联系方式（不超过 100 字）。", "Without an account a contact is required (at most 100 characters).";
    ErrComplaintRate => "该网络地址提交的投诉过多，请稍后再试或登录后投诉。", "Too many complaints from this address: try again later, or sign in.";
    ErrAssignStaff => "只能分派给工作人员。", "Complaints go to staff only.";
    ErrResolutionRequired => "请填写告知投诉人的处理结果。", "Write the result the complainant will see.";
    ErrComplaintDecided => "这些投诉已办结。", "These complaints are already decided.";
    // Credit (R15.1)
    CreditTitle => "信用分", "Credit score";
    CreditScore => "信用分", "Score";
    CreditLevel => "信用等级", "Level";
    CreditIntro => "内容被删除、投诉成立、被标注不实信息会扣分；连续 30 天无违规会加分。对每次扣分可申诉一次。", "Removed content, upheld complaints and untrue-information labels cost points; 30 days without a violation gain some. You may appeal each penalty once.";
    CreditHistory => "信用记录", "History";
    CreditNoEvents => "暂无记录", "Nothing yet";
    CreditRemoval => "内容被删除", "Content removed";
    CreditComplaint => "投诉成立", "Complaint upheld";
    CreditRumour => "不实信息标注", "Untrue-information label";
    CreditGood => "无违规奖励", "Time without violations";
    CreditStaff => "人工调整", "Staff adjustment";
    CreditAppeal => "申诉成立，撤销扣分", "Appeal upheld: reversed";
    CreditReversed => "已撤销", "Reversed";
    CreditAdjust => "调整信用分", "Adjust the score";
    CreditDelta => "分值（可为负数）", "Points (may be negative)";
    ErrCreditDelta => "分值须为 -1000 到 1000 之间的非零整数。", "Points: a whole number from -1000 to 1000, not 0.";
    LevelExcellent => "优秀", "excellent";
    LevelGood => "良好", "good";
    LevelFair => "一般", "fair";
    LevelPoor => "较差", "poor";
    LevelRestricted => "受限", "restricted";
    AppealTitle => "申诉", "Appeal";
    AppealLink => "申诉", "Appeal";
    AppealWhy => "申诉理由", "Why this was wrong";
    AppealSent => "申诉已提交，将由其他审核员处理。", "Your appeal is sent; another reviewer will decide it.";
    AppealsTitle => "申诉处理", "Appeals";
    AppealStatusOpen => "待处理", "waiting";
    AppealStatusUpheld => "成立", "upheld";
    AppealStatusRejected => "驳回", "rejected";
    AppealsEmpty => "没有待处理的申诉", "No open appeals";
    AppealAnswer => "答复", "Answer";
    AppealUphold => "申诉成立（恢复内容并撤销扣分）", "Uphold (restore and reverse)";
    AppealReject => "驳回申诉", "Reject";
    ErrAppealNotPenalty => "只能对扣分申诉。", "Only a penalty can be appealed.";
    ErrAppealTwice => "每次扣分只能申诉一次。", "Each penalty can be appealed once.";
    ErrAppealSameReviewer => "申诉须由作出原决定以外的审核员处理。", "An appeal is decided by a reviewer other than the one who decided the penalty.";
    ErrAppealDecided => "该申诉已处理。", "This appeal was already decided.";
    NotifAppealUpheld => "你的申诉成立，扣分已撤销", "Your appeal was upheld; the penalty is reversed";
    NotifAppealRejected => "你的申诉未获支持", "Your appeal was rejected";
    // Tiers (R9.1, R9.2)
    TiersTitle => "分级管理", "Tiers";
    TiersIntro => "按顺序匹配，第一条符合的规则生效。空白或 * 表示不限。", "Rules are tried in order; the first that matches applies. Blank or * means any.";
    TierPosition => "顺序", "Order";
    TierSubject => "主体类型", "Subject type";
    TierFollowers => "粉丝数", "Followers";
    TierMinFollowers => "粉丝数下限", "Followers from";
    TierMaxFollowers => "粉丝数上限（空白为不限）", "Followers up to (blank: no limit)";
    TierKind => "内容类型", "Content kind";
    TierEmergency => "仅应急状态", "Only in emergency mode";
    TierQuotaCol => "每日限额", "Daily quota";
    TierPreReview => "先审后发", "Pre-review";
    TierMedia => "可发图片视频", "Media allowed";
    TierReposts => "可转发", "Reposts allowed";
    TierComments => "可评论", "Comments allowed";
    TierNote => "说明", "Note";
    TierAdd => "添加规则", "Add rule";
    TierApplied => "适用的分级规则", "Tier rule applied";
    TierRefused => "按分级管理规则 #{}（你的信用等级：{}），{}", "Under tier rule #{} (your credit level: {}), {}";
    TierQuota => "你今天的发布数量已达上限（{} 条）。", "you have reached today's limit ({}).";
    TierNoMedia => "你的账号暂不能发布图片或视频。", "your account cannot post images or video for now.";
    TierNoReposts => "你的账号暂不能转发。", "your account cannot repost for now.";
    TierNoComments => "你的账号暂不能评论。", "your account cannot comment for now.";
    ErrTierNumber => "字段 {} 的值无效。", "The value of {} is not valid.";
    Yes => "是", "yes";
    No => "否", "no";
    // Comment control (R10.3)
    CommentsClosed => "作者已关闭评论。", "The author has closed comments.";
    CommentsFollowersOnly => "仅作者的关注者可以评论。", "Only the author's followers can comment.";
    CommentModeLabel => "谁可以评论", "Who may comment";
    CommentModeOpen => "所有人", "Everyone";
    CommentModeFollowers => "仅关注者", "Followers only";
    CommentModeClosed => "关闭评论", "Nobody (closed)";
    CommentHide => "隐藏", "Hide";
    CommentUnhide => "取消隐藏", "Show again";
    CommentRemove => "删除评论", "Remove";
    CommentHiddenNote => "此评论已被博主隐藏，仅你们二人可见。", "Hidden by the post's author: only the two of you see it.";
    NotifCommentHidden => "隐藏了你的评论", "hid your comment";
    // Staff flows (issue 13): roles, first day, separation of duties, inbox, dashboard
    RoleActions => "操作", "Actions";
    AccountClosedTag => "已注销", "closed";
    NoRoles => "普通用户", "member";
    LastAdminKeeps => "最后一位管理员，保留管理员角色", "the last admin: keeps the admin role";
    NothingChanged => "没有变化", "Nothing changed";
    SetupRoles => "这个账号将同时拥有管理员、审核员和总编辑三个角色，一个人即可承担所有管理工作；以后可在“账号与角色”中把角色交给其他人。", "This account gets the admin, reviewer and chief editor roles, so one person can do every staff job; hand roles on later in Accounts and roles.";
    NotifStaffComplaint => "有新的投诉待处理", "A new complaint is waiting";
    NotifComplaintAssigned => "一条投诉已分派给你", "A complaint was assigned to you";
    NotifStaffIdentity => "有实名信息等待确认", "An identity is waiting for confirmation";
    NotifStaffAppeal => "有新的申诉待处理", "A new appeal is waiting";
    NotifStaffVerification => "有新的认证申请待审核", "A new verification application is waiting";
    AppealAnotherMust => "原决定由你作出，须由其他审核员处理：{}", "You decided the penalty, so another reviewer decides: {}";
    AppealNobody => "原决定由你作出，且本站没有其他审核员或总编辑。请管理员再指定一位审核员或总编辑。", "You decided the penalty and the site has no other reviewer or chief editor. Ask an admin to name one.";
    AppealNoIndependent => "本站没有其他可独立复核的审核员：原决定由你作出，你可以以总编辑或管理员身份处理此申诉，系统会在记录和日志中注明“无独立复核人”。", "No independent reviewer exists on this site: you decided the penalty and may decide this appeal as chief editor or admin; the record and the log will say there was no independent reviewer.";
    TargetPostNumber => "帖子 #{}", "post #{}";
    FlashDone => "操作已完成。", "Done.";
    InboxTitle => "待处理事项", "Waiting for staff";
    InboxHeld => "待审内容 {} 条", "{} held for review";
    InboxDueSoon => "24 小时内到期的投诉 {} 条", "{} complaints due within 24 h";
    InboxOverdue => "已超期的投诉 {} 条", "{} complaints overdue";
    InboxOverdueShort => "超期 {}", "{} overdue";
    InboxIdentities => "待确认实名 {} 个", "{} identities to confirm";
    InboxAppeals => "待处理申诉 {} 条", "{} appeals";
    InboxBadges => "待审认证申请 {} 个", "{} badge applications";
    ChecklistTitle => "开站清单", "Getting started";
    ChecklistIntro => "完成以下几步后，本清单会自动消失。", "This list goes away once these steps are done.";
    ChecklistSite => "填写站点名称和备案编号（ICP 备案、公安备案）", "Set the site name and licence numbers (ICP and public security filings)";
    ChecklistIdentity => "完成你自己的实名认证", "Bind and verify your own identity";
    ChecklistAssessment => "登记转发功能的安全评估", "Record the security assessment for reposts";
    ChecklistPeople => "添加工作人员或导入成员", "Add staff or import members";
    ChecklistDone => "已完成", "done";
    ChecklistTodo => "待完成", "to do";
    ChartsTitle => "近 30 天概况", "The last 30 days";
    ChartsHint => "按本站时区（{}）的自然日统计；每根柱子悬停可看日期和数量。", "Counted by day in the site's time zone ({}); each bar's title gives its date and count.";
    ChartSummary => "合计 {}，单日最多 {}", "total {}, at most {} a day";
    MembersFigure => "成员共 {} 人，近 30 天新增 {} 人", "{} members, {} new in the last 30 days";
    ChartPosts => "每日发帖", "Posts per day";
    ChartComments => "每日评论", "Comments per day";
    ChartComplaintsOpened => "每日新投诉", "Complaints opened per day";
    ChartComplaintsClosed => "每日办结投诉", "Complaints closed per day";
    ChartComplaintsOverdue => "每日超期投诉", "Complaints overdue per day";
    ChartMembers => "每日新成员", "New members per day";
    ChartQueueAge => "待审内容等待时长", "Review queue by age";
    AgeUnderHour => "1 小时内", "under 1 h";
    AgeHoursOneSix => "1–6 小时", "1–6 h";
    AgeHoursSixDay => "6–24 小时", "6–24 h";
    AgeDaysOneThree => "1–3 天", "1–3 days";
    AgeOlder => "3 天以上", "over 3 days";
    ConfirmDeletePost => "删除后，这条内容及其转发将不再显示，且无法恢复。", "Once deleted, this post and its reposts are gone for good.";
    ConfirmDeletePostButton => "确认删除", "Yes, delete it";
    Cancel => "取消", "Cancel";
    ReversalsTitle => "撤销删除记录", "Reversals of removal";
    ReversalByAppeal => "申诉成立", "appeal upheld";
    NoIndependentReviewer => "无独立复核人", "no independent reviewer";
    ReversalAnotherMust => "这条内容由你删除，须由其他总编辑撤销删除：{}", "You removed this, so another chief editor reverses it: {}";
    ReversalNoIndependent => "本站没有其他总编辑：删除由你作出，你仍可撤销，系统会在日志中注明“无独立复核人”。", "No other chief editor exists: you removed this and may still reverse it; the log will say there was no independent reviewer.";
    ConfirmRejectAll => "将驳回本页全部 {} 条待审内容，作者会收到驳回理由。", "This rejects all {} held items on this page; their authors are told the reason.";
    ConfirmRejectAllButton => "确认驳回全部 {} 条", "Yes, reject all {}";
    ConfirmRestrict => "该账号的信用分将降到“受限”等级，发布将受分级规则限制。", "The account's credit falls to the restricted level and its publishing is limited by the tier rules.";
    ConfirmRestrictButton => "确认限制账号", "Yes, restrict the account";
    ConfirmStopPublishingTitle => "确认停止所有发布", "Stop all publishing?";
    ConfirmStopPublishing => "停止所有发布后，全站任何人都不能发帖、评论或转发，直到你关闭此开关。", "While publishing is stopped nobody on the site can post, comment or repost, until you switch it off.";
    ConfirmStopPublishingButton => "确认停止所有发布", "Yes, stop all publishing";
    // Accounts made by an organisation
    PasswordSetTitle => "设置密码", "Set your password";
    PasswordSetIntro => "为账号 {} 设置登录密码。此链接只能使用一次。", "Set the password of the account {}. This link works once.";
    PasswordSetButton => "设置密码", "Set password";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages_and_same_placeholders() {
        for m in M::ALL {
            assert!(!m.zh().is_empty() && !m.en().is_empty(), "{m:?}");
            assert_eq!(m.zh().matches("{}").count(), m.en().matches("{}").count(), "{m:?}");
        }
    }

    #[test]
    fn fill() {
        assert_eq!(Lang::En.f(M::ErrTooLong, &[&2001, &2000]), "Too long: 2001 characters, the limit is 2000");
        assert_eq!(Lang::Zh.f(M::TagTitle, &[&"话题"]), "话题 #话题#");
    }
}
