<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ConnectDialog</name>
    <message>
        <location filename="../../studio/ui/connect_dialog.py" line="+45"/>
        <source>Connect to a server</source>
        <translation>连接到服务器</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Your drafts and Studio&apos;s database stay on this computer. Only the text sent for generation (the part of the draft, the notes and the style the model reads) goes to the server.</source>
        <translation>你的草稿和 Studio 的数据库都留在这台电脑上。只有送去生成的文字（模型读取的那部分草稿、笔记和风格）会发到服务器。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the server&apos;s model</source>
        <translation>服务器的模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check the server&apos;s TLS &amp;certificate (https)</source>
        <translation>检查服务器的 TLS 证书（https）(&amp;C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Turn off only for your own server with a self-signed certificate.</source>
        <translation>仅在连接你自己的、使用自签名证书的服务器时关闭。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API &amp;key</source>
        <translation>API 密钥(&amp;K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Test</source>
        <translation>测试(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Forget this server</source>
        <translation>忘记此服务器(&amp;F)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Test result</source>
        <translation>测试结果</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Type the server&apos;s address first, for example http://127.0.0.1:8080.</source>
        <translation>请先输入服务器地址，例如 http://127.0.0.1:8080。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The keychain could not be read</source>
        <translation>无法读取钥匙串</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An API key is kept in the keychain ({name}), never in Studio&apos;s files.</source>
        <translation>API 密钥保存在钥匙串（{name}）中，从不写入 Studio 的文件。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{why} An API key is kept for this session only: type it again after Studio restarts.</source>
        <translation>{why} API 密钥只在本次运行中保留：Studio 重启后需要重新输入。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Listing models failed</source>
        <translation>无法列出模型</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server answered in {ms:.0f} ms and lists {n} model(s). Test shows what it supports.</source>
        <translation>服务器在 {ms:.0f} 毫秒内应答，列出了 {n} 个模型。点“测试”可查看它支持的功能。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Testing {url}…</source>
        <translation>正在测试 {url}…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The test failed</source>
        <translation>测试失败</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{model}: answered in {ms:.0f} ms; {supports}.</source>
        <translation>{model}：{ms:.0f} 毫秒内应答；{supports}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not available on this server: {what}.</source>
        <translation>此服务器不支持：{what}。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Connecting to {url}…</source>
        <translation>正在连接 {url}…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The server could not be forgotten</source>
        <translation>无法忘记此服务器</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Studio forgot this server and its key.</source>
        <translation>Studio 已忘记此服务器及其密钥。</translation>
    </message>
</context>
<context>
    <name>GetModelDialog</name>
    <message>
        <location filename="../../studio/ui/get_model_dialog.py" line="+78"/>
        <source>Get a model</source>
        <translation>获取模型</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Looking at this machine…</source>
        <translation>正在查看这台电脑…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+5"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Languages</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>Fit here</source>
        <translation>本机能否运行</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Writes well</source>
        <translation>擅长</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>owner/repo, e.g. lmstudio-community/Qwen2.5-7B-Instruct-GGUF</source>
        <translation>所有者/仓库，例如 lmstudio-community/Qwen2.5-7B-Instruct-GGUF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List files</source>
        <translation>列出文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quant</source>
        <translation>量化</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use it now</source>
        <translation>立即使用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Picked for writing in English and Chinese:</source>
        <translation>为中英文写作挑选的模型：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Or any repo on the hub:</source>
        <translation>或模型库中的任意仓库：</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The model catalogue could not be read</source>
        <translation>无法读取模型目录</translation>
    </message>
    <message>
        <location line="+24"/>
        <source> (downloaded)</source>
        <translation>（已下载）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{0:.0f} GB memory</source>
        <translation>内存 {0:.0f} GB</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>memory ?</source>
        <translation>内存未知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> ({0:.0f} GB free now)</source>
        <translation>（当前可用 {0:.0f} GB）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0:.0f} GB free disk</source>
        <translation>磁盘可用 {0:.0f} GB</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This llama.cpp runs on the CPU only: it was built without GPU offload (a llama-cpp-python built for CUDA, Vulkan or Metal has it).</source>
        <translation>此 llama.cpp 只能在 CPU 上运行：编译时没有启用 GPU 卸载（为 CUDA、Vulkan 或 Metal 编译的 llama-cpp-python 才有）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This machine: {0}{1}, {2} cores, {3}. {4}</source>
        <translation>这台电脑：{0}{1}，{2} 个核心，{3}。{4}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This llama.cpp can offload layers to a GPU, but the GPU&apos;s free memory cannot be measured here, so how many layers fit is not known (set GPU layers in Model settings).</source>
        <translation>此 llama.cpp 可以把模型层卸载到 GPU，但这里无法测出 GPU 的可用显存，所以不知道能放下多少层（在“模型设置”中设置 GPU 层数）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This llama.cpp can offload layers to a GPU: {0} free of {1} on {2}; choose a model to see how many of its layers fit (set GPU layers in Model settings).</source>
        <translation>此 llama.cpp 可以把模型层卸载到 GPU：{2} 上 {1} 显存中可用 {0}；选择一个模型即可看到能放下它的多少层（在“模型设置”中设置 GPU 层数）。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Asking the hub for {0}&apos;s files…</source>
        <translation>正在向模型库查询 {0} 的文件…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The repo&apos;s files could not be listed</source>
        <translation>无法列出该仓库的文件</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not a whole model (projector or split part)</source>
        <translation>不是完整的模型（投影器或分卷的一部分）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Recommended: {0}</source>
        <translation>推荐：{0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing to recommend: {0}.</source>
        <translation>没有可推荐的：{0}。</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Connecting to the hub…</source>
        <translation>正在连接模型库…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{0:.1f} MB/s</source>
        <translation>{0:.1f} MB/秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, {0} left</source>
        <translation>，剩余 {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (resumed at {0})</source>
        <translation>（从 {0} 处继续）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} of {1} at {2}{3}{4}</source>
        <translation>{0} / {1}，速度 {2}{3}{4}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Downloaded and checked: {0} is in the models folder. Switch to it now?</source>
        <translation>已下载并校验：{0} 已在模型文件夹中。现在切换到它吗？</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cancelled. What was fetched is kept: Download again to resume from there.</source>
        <translation>已取消。已下载的部分会保留：再次点“下载”即可从那里继续。</translation>
    </message>
</context>
</TS>
