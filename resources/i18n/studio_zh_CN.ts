<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AskPart</name>
    <message>
        <location filename="../../studio/ui/ask_tab.py" line="+140"/>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>An answer is still coming: press Stop first.</source>
        <translation>回答还没写完：请先按“停止”。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a question first.</source>
        <translation>请先输入问题。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>From Studio&apos;s rhyme and pronunciation tables.</source>
        <translation>来自 Studio 自带的韵书和发音词典。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open or create a draft first (Ctrl+N).</source>
        <translation>请先打开或新建一篇草稿（Ctrl+N）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Asking the model…</source>
        <translation>正在问模型…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Put the cursor after a word first: its rhymes are looked up.</source>
        <translation>请先把光标放在一个字或词后面：查的是它的韵脚。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Nothing to insert yet.</source>
        <translation>还没有可插入的内容。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The model wrote no answer this time; ask again.</source>
        <translation>模型这次没有写出回答，请再问一次。</translation>
    </message>
</context>
<context>
    <name>AskTab</name>
    <message>
        <location line="-183"/>
        <source>Ask about the draft: &quot;names for a lighthouse keeper&quot;…</source>
        <translation>问一问这篇草稿：“给灯塔看守人起几个名字”…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+47"/>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The answer appears here; the draft is not changed until you insert.</source>
        <translation>回答显示在这里；插入之前草稿不会改变。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Insert answer</source>
        <translation>插入回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put the whole answer at the cursor in the draft</source>
        <translation>把整个回答插入草稿的光标处</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insert line</source>
        <translation>插入这一行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put the answer&apos;s line under the caret at the cursor in the draft</source>
        <translation>把回答中插入点所在的那一行插入草稿的光标处</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+2"/>
        <source>Earlier answers</source>
        <translation>以前的回答</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
</context>
<context>
    <name>AssistantPanel</name>
    <message>
        <location filename="../../studio/ui/assistant.py" line="+36"/>
        <source>Notes the model always sees for this draft: characters, setting, tone, rhyme scheme…</source>
        <translation>模型每次都会读到的这篇草稿的笔记：人物、背景、语气、韵式…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Write</source>
        <translation>写作</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Continue preset</source>
        <translation>续写预设</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rewrite preset</source>
        <translation>改写预设</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Style</source>
        <translation>风格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Continue with</source>
        <translation>续写预设(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;write with</source>
        <translation>改写预设(&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>St&amp;yle</source>
        <translation>风格(&amp;Y)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>How many versions Ctrl+Alt+Return asks for</source>
        <translation>Ctrl+Alt+Return 一次要几个备选</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>preset</source>
        <translation>按预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How much to write; &quot;preset&quot; uses the preset&apos;s length</source>
        <translation>写多长；“按预设”即用预设的长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Alternatives</source>
        <translation>备选数(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Length</source>
        <translation>长度(&amp;L)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+33"/>
        <source>Rewrite instruction</source>
        <translation>改写要求</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Or say how: &quot;in the voice of a sailor&quot;…</source>
        <translation>或者说说怎么改：“用水手的口吻”…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Notes (memory)</source>
        <translation>笔记（记忆）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Draft notes</source>
        <translation>草稿笔记</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>What the model sees</source>
        <translation>模型读到的内容</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the prompt for a Continue at the cursor (F5)</source>
        <translation>显示在光标处续写时的提示词（F5）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Context preview</source>
        <translation>上下文预览</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Press Refresh (F5) to see the prompt the model will read.</source>
        <translation>按“刷新”（F5）查看模型将读到的提示词。</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+125"/>
        <source>%1 prompt tokens of %2</source>
        <translation>提示词 %1 个词元，上下文共 %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>nothing is left out</source>
        <translation>全文都已放入</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 prompt</source>
        <translation>%1 提示词</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It does not fit in the model&apos;s context.</source>
        <translation>超出了模型的上下文长度。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>[left out: …%1]</source>
        <translation>[未放入：…%1]</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>%Ln prompt tokens</source>
        <translation>提示词 %Ln 个词元</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>room to write %Ln</source>
        <translation>可写 %Ln 个词元</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%Ln characters from the start are left out</source>
        <translation>开头的 %Ln 个字符未放入</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <location filename="../../studio/ui/connect_dialog.py" line="+46"/>
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
    <message numerus="yes">
        <location line="+5"/>
        <source>The server answered in %1 ms and lists %n model(s). Test shows what it supports.</source>
        <translation>
            <numerusform>服务器在 %1 毫秒内应答，列出了 %n 个模型。点“测试”可查看它支持的功能。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1: answered in %2 ms; %3.</source>
        <translation>%1：%2 毫秒内应答；%3。</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Testing {url}…</source>
        <translation>正在测试 {url}…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The test failed</source>
        <translation>测试失败</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Not available on this server: {what}.</source>
        <translation>此服务器不支持：{what}。</translation>
    </message>
    <message>
        <location line="+20"/>
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
    <name>ContextPreview</name>
    <message>
        <location filename="../../studio/ui/context_preview.py" line="+68"/>
        <source>The context view needs the model; it is not loaded yet.</source>
        <translation>上下文视图需要模型，但模型还没有加载。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
</context>
<context>
    <name>DiffView</name>
    <message>
        <location filename="../../studio/ui/diff_view.py" line="+25"/>
        <source>… (the rest is not shown)</source>
        <translation>…（其余部分未显示）</translation>
    </message>
</context>
<context>
    <name>DraftCommands</name>
    <message>
        <location filename="../../studio/ui/draft_commands.py" line="+32"/>
        <source>Markdown (*.md);;Fountain screenplay (*.fountain);;Web page (*.html);;Plain text (*.txt)</source>
        <translation>Markdown (*.md);;Fountain 剧本 (*.fountain);;网页 (*.html);;纯文本 (*.txt)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Drafts (*.md *.markdown *.txt *.fountain);;All files (*)</source>
        <translation>草稿 (*.md *.markdown *.txt *.fountain);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>The draft was not created</source>
        <translation>草稿未能创建</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The draft could not be renamed</source>
        <translation>草稿未能重命名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rename draft</source>
        <translation>重命名草稿</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The draft could not be duplicated</source>
        <translation>未能创建草稿副本</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The draft could not be moved to the Trash</source>
        <translation>草稿未能移到回收站</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Moved to the Trash. Restore it from the Trash tab.</source>
        <translation>已移到回收站。可在“回收站”标签页中恢复。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The draft could not be restored</source>
        <translation>草稿未能恢复</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Delete forever</source>
        <translation>永久删除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete this draft and all its revisions for good?</source>
        <translation>永久删除这篇草稿及其所有历史版本？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The draft could not be deleted</source>
        <translation>草稿未能删除</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Export draft</source>
        <translation>导出草稿</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The draft was not exported</source>
        <translation>草稿未能导出</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export all drafts to a folder</source>
        <translation>将所有草稿导出到文件夹</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Exported %n draft to %1</source>
        <translation>
            <numerusform>已将 %n 篇草稿导出到 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>Exported %n drafts to %1</source>
        <translation>
            <numerusform>已将 %n 篇草稿导出到 %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The drafts were not exported</source>
        <translation>草稿未能导出</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import drafts</source>
        <translation>导入草稿</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The files were not imported</source>
        <translation>文件未能导入</translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>Imported %n file.</source>
        <translation>
            <numerusform>已导入 %n 个文件。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>Imported %n files.</source>
        <translation>
            <numerusform>已导入 %n 个文件。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Some files were not imported</source>
        <translation>部分文件未能导入</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The revision was not kept</source>
        <translation>版本未能保留</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Revision kept.</source>
        <translation>已保留一个版本。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Revisions could not be read</source>
        <translation>无法读取历史版本</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The revision was not restored</source>
        <translation>版本未能恢复</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Revision restored. Ctrl+Z brings the previous text back.</source>
        <translation>已恢复此版本。按 Ctrl+Z 可找回之前的文字。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>untitled</source>
        <translation>未命名</translation>
    </message>
</context>
<context>
    <name>DraftListModel</name>
    <message numerus="yes">
        <location filename="../../studio/ui/sidebar.py" line="+111"/>
        <source>%Ln word</source>
        <translation>
            <numerusform>%Ln 字</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%Ln words</source>
        <translation>
            <numerusform>%Ln 字</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n min ago</source>
        <translation>
            <numerusform>%n 分钟前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n h ago</source>
        <translation>
            <numerusform>%n 小时前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n d ago</source>
        <translation>
            <numerusform>%n 天前</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DraftSession</name>
    <message>
        <location filename="../../studio/ui/draft_session.py" line="+86"/>
        <source>The draft could not be opened</source>
        <translation>无法打开草稿</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The style was not saved</source>
        <translation>风格未能保存</translation>
    </message>
    <message>
        <location line="+80"/>
        <location line="+80"/>
        <location line="+13"/>
        <source>Your draft was not saved</source>
        <translation>你的草稿未能保存</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>This draft no longer exists (%1).</source>
        <translation>这篇草稿已不存在（%1）。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>This draft changed elsewhere</source>
        <translation>这篇草稿在别处被改动了</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” was changed in another window since you opened it.

Yes: keep your text here, and save the other version as a new draft.
No: load the other version here, and save your text as a new draft.</source>
        <translation>你打开“%1”之后，它在另一个窗口中被改动了。

是：这里保留你的文字，另一个版本存为新草稿。
否：这里载入另一个版本，你的文字存为新草稿。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Your text is kept as “%1”.</source>
        <translation>你的文字已保存为“%1”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The other version is kept as “%1”.</source>
        <translation>另一个版本已保存为“%1”。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Saved as a new draft</source>
        <translation>已存为新草稿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 Your text is kept as a new draft.</source>
        <translation>%1你的文字已存为新草稿。</translation>
    </message>
</context>
<context>
    <name>DraftsPanel</name>
    <message>
        <location filename="../../studio/ui/sidebar.py" line="+68"/>
        <location line="+33"/>
        <source>Drafts</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+40"/>
        <source>Trash</source>
        <translation>回收站</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Search titles and text…</source>
        <translation>搜索标题和正文…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search drafts</source>
        <translation>搜索草稿</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All forms</source>
        <translation>所有体裁</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Form filter</source>
        <translation>体裁筛选</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New draft (Ctrl+N)</source>
        <translation>新建草稿（Ctrl+N）</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+28"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Rename the draft (F2)</source>
        <translation>重命名草稿（F2）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+164"/>
        <source>Duplicate</source>
        <translation>创建副本</translation>
    </message>
    <message>
        <location line="-164"/>
        <source>Make a copy of the draft</source>
        <translation>为草稿创建一个副本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move the draft to the Trash (Delete)</source>
        <translation>将草稿移到回收站（Delete）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+156"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="-156"/>
        <source>Bring the draft back from the Trash</source>
        <translation>从回收站恢复草稿</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete forever</source>
        <translation>永久删除</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete the draft and its history</source>
        <translation>删除草稿及其历史版本</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+137"/>
        <source>Move to Trash</source>
        <translation>移到回收站</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Delete forever…</source>
        <translation>永久删除…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New draft…</source>
        <translation>新建草稿…</translation>
    </message>
</context>
<context>
    <name>EmptyPage</name>
    <message>
        <location filename="../../studio/ui/empty_page.py" line="+14"/>
        <source>Nothing open</source>
        <translation>没有打开的草稿</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start a screenplay, a song, a poem or a story.</source>
        <translation>开始写一部剧本、一首歌、一首诗或一个故事。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+N new draft · Ctrl+O import a file · Ctrl+Return asks the model to continue</source>
        <translation>Ctrl+N 新建草稿 · Ctrl+O 导入文件 · Ctrl+Return 让模型续写</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New draft…</source>
        <translation>新建草稿…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a file…</source>
        <translation>导入文件…</translation>
    </message>
</context>
<context>
    <name>Failure</name>
    <message>
        <location filename="../../studio/ui/worker.py" line="+88"/>
        <source>Something went wrong: %1: %2</source>
        <translation>出了点问题：%1：%2</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../../studio/ui/findbar.py" line="+24"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace with</source>
        <translation>替换为</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Match case</source>
        <translation>区分大小写(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whole &amp;words</source>
        <translation>全词匹配(&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous (Shift+Enter)</source>
        <translation>上一个（Shift+Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next (Enter, F3)</source>
        <translation>下一个（Enter、F3）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace all</source>
        <translation>全部替换</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close (Escape)</source>
        <translation>关闭（Escape）</translation>
    </message>
    <message>
        <location line="+63"/>
        <location line="+57"/>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message numerus="yes">
        <location line="-24"/>
        <source>%n replaced</source>
        <translation>
            <numerusform>已替换 %n 处</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%n+ found</source>
        <translation>
            <numerusform>找到 %n+ 处</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n found</source>
        <translation>
            <numerusform>找到 %n 处</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FormCheckPanel</name>
    <message>
        <location filename="../../studio/ui/form_check.py" line="+43"/>
        <source>Free verse</source>
        <translation>自由诗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Haiku</source>
        <translation>俳句</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sonnet</source>
        <translation>十四行诗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Limerick</source>
        <translation>打油诗</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rhyme</source>
        <translation>韵脚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tones / stresses</source>
        <translation>平仄 / 重音</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issues</source>
        <translation>问题</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Check the form</source>
        <translation>检查格律</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Form</source>
        <translation>诗体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>As it is written (guessed)</source>
        <translation>按写法推断</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rhyme book</source>
        <translation>韵书</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Strict (tones and metre fail too)</source>
        <translation>严格（平仄和节律不合也算不合）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Form:</source>
        <translation>诗体：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rhyme book:</source>
        <translation>韵书：</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>What does not fit, warnings and notes</source>
        <translation>不合之处、警告和说明</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Nothing to check yet: write the poem, then check it as %1.</source>
        <translation>还没有可检查的内容：写好诗，再按%1检查。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fits %1.</source>
        <translation>符合%1。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fits %1, with one warning.</source>
        <translation>符合%1，有 1 条警告。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Fits %1, with %n warnings.</source>
        <translation>
            <numerusform>符合%1，有 %n 条警告。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Does not fit %1: one deviation.</source>
        <translation>不符合%1：1 处不合。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Does not fit %1: %n deviations.</source>
        <translation>
            <numerusform>不符合%1：%n 处不合。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (%2–%3)</source>
        <translation>%1（%2–%3）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 (wants %2)</source>
        <translation>%1（应为 %2）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Line %1 of the draft</source>
        <translation>草稿第 %1 行</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Does not fit</source>
        <translation>不合</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>Forms</name>
    <message>
        <location filename="../../studio/ui/sidebar.py" line="-356"/>
        <source>Prose</source>
        <translation>散文</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Screenplay</source>
        <translation>剧本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Poetry</source>
        <translation>诗歌</translation>
    </message>
</context>
<context>
    <name>GenerationController</name>
    <message>
        <location filename="../../studio/ui/generation.py" line="+87"/>
        <source>Select the passage to rewrite first.</source>
        <translation>请先选中要改写的段落。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Put the cursor in a verse first: the new verse is written to its meter.</source>
        <translation>先把光标放在一段里：新的一段按它的格律来写。</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+196"/>
        <source>A generation is running: press Escape to stop it first.</source>
        <translation>正在生成：请先按 Esc 停止。</translation>
    </message>
    <message>
        <location line="-191"/>
        <source>Open or create a draft first (Ctrl+N).</source>
        <translation>请先打开或新建一篇草稿（Ctrl+N）。</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The model wrote nothing to accept. Retry (Ctrl+R) or discard (Escape).</source>
        <translation>模型没有写出可以接受的内容。可以重试（Ctrl+R）或舍弃（Esc）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The passage changed while the model wrote, so it was not replaced. Retry (Ctrl+R) rewrites it as it is now; Escape discards the proposal.</source>
        <translation>模型写作期间这段文字被改动了，所以没有替换。重试（Ctrl+R）会按现在的文字改写；按 Esc 舍弃提议。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The rewrite was not applied: the draft could not be kept first (%1).</source>
        <translation>改写没有应用：未能先为草稿保存一个版本（%1）。</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Writing on from another token works on a Continue&apos;s proposal.</source>
        <translation>从另一个词元接着写，只适用于续写的提议。</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>Stopped before any text came.</source>
        <translation>在写出任何文字之前已停止。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model wrote nothing this time.</source>
        <translation>模型这次什么也没写。</translation>
    </message>
</context>
<context>
    <name>GetModelDialog</name>
    <message>
        <location filename="../../studio/ui/get_model_dialog.py" line="+56"/>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location line="+15"/>
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
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, </source>
        <comment>between the items of a list</comment>
        <translation>、</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>runs well</source>
        <translation>运行流畅</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>slow</source>
        <translation>较慢</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>too big</source>
        <translation>太大</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (~%2 tokens/s)</source>
        <translation>%1（约 %2 词元/秒）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 GB memory</source>
        <translation>内存 %1 GB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (%1 GB free now)</source>
        <translation>（当前可用 %1 GB）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 GB free disk</source>
        <translation>磁盘可用 %1 GB</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This machine: %1%2, %3 cores, %4. %5</source>
        <translation>这台电脑：%1%2，%3 个核心，%4。%5</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This llama.cpp can offload layers to a GPU: %1 free of %2 on %3; choose a model to see how many of its layers fit (set GPU layers in Model settings).</source>
        <translation>此 llama.cpp 可以把模型层卸载到 GPU：%3 上 %2 显存中可用 %1；选择一个模型即可看到能放下它的多少层（在“模型设置”中设置 GPU 层数）。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Asking the hub for %1&apos;s files…</source>
        <translation>正在向模型库查询 %1 的文件…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Recommended: %1</source>
        <translation>推荐：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing to recommend: %1.</source>
        <translation>没有可推荐的：%1。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1: %2.</source>
        <translation>%1：%2。</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>%1 MB/s</source>
        <translation>%1 MB/秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, %1 left</source>
        <translation>，剩余 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (resumed at %1)</source>
        <translation>（从 %1 处继续）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 at %3%4%5</source>
        <translation>%1 / %2，速度 %3%4%5</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Downloaded and checked: %1 is in the models folder. Switch to it now?</source>
        <translation>已下载并校验：%1 已在模型文件夹中。现在切换到它吗？</translation>
    </message>
    <message>
        <location line="-145"/>
        <source>memory ?</source>
        <translation>内存未知</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This llama.cpp runs on the CPU only: it was built without GPU offload (a llama-cpp-python built for CUDA, Vulkan or Metal has it).</source>
        <translation>此 llama.cpp 只能在 CPU 上运行：编译时没有启用 GPU 卸载（为 CUDA、Vulkan 或 Metal 编译的 llama-cpp-python 才有）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This llama.cpp can offload layers to a GPU, but the GPU&apos;s free memory cannot be measured here, so how many layers fit is not known (set GPU layers in Model settings).</source>
        <translation>此 llama.cpp 可以把模型层卸载到 GPU，但这里无法测出 GPU 的可用显存，所以不知道能放下多少层（在“模型设置”中设置 GPU 层数）。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The repo&apos;s files could not be listed</source>
        <translation>无法列出该仓库的文件</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not a whole model (projector or split part)</source>
        <translation>不是完整的模型（投影器或分卷的一部分）</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Connecting to the hub…</source>
        <translation>正在连接模型库…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Cancelled. What was fetched is kept: Download again to resume from there.</source>
        <translation>已取消。已下载的部分会保留：再次点“下载”即可从那里继续。</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../studio/ui/history_panel.py" line="+44"/>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewrite</source>
        <translation>改写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output / instruction</source>
        <translation>输出 / 要求</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Style</source>
        <translation>风格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>History of “%1”</source>
        <translation>“%1”的生成历史</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Search the outputs and instructions</source>
        <translation>搜索输出和要求</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the history</source>
        <translation>搜索生成历史</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Runs</source>
        <translation>生成记录</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Restore as proposal</source>
        <translation>恢复为提议(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Delete run…</source>
        <translation>删除这次生成(&amp;D)…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The history could not be read</source>
        <translation>无法读取生成历史</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No run holds “%1”.</source>
        <translation>没有包含“%1”的生成记录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing generated for this draft yet. Every Continue and Rewrite is kept here, taken or not.</source>
        <translation>这篇草稿还没有生成过内容。每次续写和改写都会保存在这里，无论是否接受。</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+8"/>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>not accepted</source>
        <translation>未接受</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alternative %1</source>
        <translation>备选 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>The output could not be restored</source>
        <translation>无法恢复这段输出</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>Delete the run of %1 and its %Ln output(s) from the history? The draft&apos;s text does not change.</source>
        <translation>
            <numerusform>要从生成历史中删除 %1 的这次生成及其 %Ln 段输出吗？草稿的文字不会改变。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete this run?</source>
        <translation>删除这次生成？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The run could not be deleted</source>
        <translation>无法删除这次生成</translation>
    </message>
</context>
<context>
    <name>HistoryPart</name>
    <message>
        <location line="+30"/>
        <source>Open or create a draft first (Ctrl+N).</source>
        <translation>请先打开或新建一篇草稿（Ctrl+N）。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The output could not be proposed.</source>
        <translation>无法将这段输出作为提议。</translation>
    </message>
</context>
<context>
    <name>LibraryFileButtons</name>
    <message>
        <location filename="../../studio/ui/library_files.py" line="+43"/>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add the entries of a TOML file</source>
        <translation>添加一个 TOML 文件里的条目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write the chosen entry to a TOML file</source>
        <translation>把选中的条目写入 TOML 文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import presets</source>
        <translation>导入预设</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Import styles</source>
        <translation>导入风格</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing was imported</source>
        <translation>没有导入任何内容</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Export preset</source>
        <translation>导出预设</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export style</source>
        <translation>导出风格</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The file was not written</source>
        <translation>未能写入文件</translation>
    </message>
</context>
<context>
    <name>Lorebook</name>
    <message>
        <location filename="../../studio/ui/lorebook.py" line="+51"/>
        <location line="+21"/>
        <source>pinned</source>
        <translation>固定</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>key “%1”</source>
        <translation>关键词“%1”</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Lore in the prompt: %1</source>
        <translation>提示词中的设定：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lore left out, no room in the context: %1</source>
        <translation>上下文放不下而未放入的设定：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>off</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>LorebookDialog</name>
    <message>
        <location line="+23"/>
        <source>Lore entries</source>
        <translation>设定条目</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Keys, separated by commas: Mara, 玛拉</source>
        <translation>关键词，用逗号分隔：Mara, 玛拉</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Entry text</source>
        <translation>条目内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the model should know when a key comes up…</source>
        <translation>出现关键词时模型应当知道的内容…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pinned (always in the prompt)</source>
        <translation>固定（始终放入提示词）(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Enabled</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Case-sensitive (English keys)</source>
        <translation>区分大小写（英文关键词）(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Whole words only (English keys)</source>
        <translation>只匹配整个单词（英文关键词）(&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New entry</source>
        <translation>新建条目(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+109"/>
        <source>&amp;Save entry</source>
        <translation>保存条目(&amp;S)</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>&amp;Remove…</source>
        <translation>删除(&amp;R)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> characters</source>
        <translation> 个字符</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scan depth</source>
        <translation>扫描范围</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How far back before the cursor the keys are looked for</source>
        <translation>在光标前多远的范围内查找关键词</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Keys</source>
        <translation>关键词(&amp;K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Text</source>
        <translation>内容(&amp;T)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Look for keys in the last</source>
        <translation>在光标前查找关键词的范围</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Lorebook — %1</source>
        <translation>设定集 — %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+11"/>
        <location line="+23"/>
        <source>The lorebook could not be read</source>
        <translation>未能读取设定集</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>In the prompt now (%1)</source>
        <translation>现在在提示词中（%1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>In the prompt now: %1</source>
        <translation>现在放入提示词的：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In the prompt now: no entry (no key in the text before the cursor).</source>
        <translation>现在放入提示词的：没有条目（光标前的文字里没有关键词）。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Add entry</source>
        <translation>添加条目(&amp;A)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The lore entry could not be read</source>
        <translation>未能读取设定条目</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The lore entry was not saved</source>
        <translation>设定条目未保存</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Remove the lore entry for %1? This cannot be undone.</source>
        <translation>删除“%1”的设定条目？此操作无法撤销。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the lore entry?</source>
        <translation>删除设定条目？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The lore entry was not removed</source>
        <translation>设定条目未删除</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The scan depth was not saved</source>
        <translation>扫描范围未保存</translation>
    </message>
</context>
<context>
    <name>LorebookPart</name>
    <message>
        <location line="+48"/>
        <source>Lorebook</source>
        <translation>设定集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open or create a draft first: each draft has its own lorebook.</source>
        <translation>请先打开或新建一篇草稿：每篇草稿有自己的设定集。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../studio/ui/main_window.py" line="+75"/>
        <location line="+232"/>
        <source>Studio</source>
        <translation>Studio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 • — Studio</source>
        <translation>%1 • — Studio</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 — Studio</source>
        <translation>%1 — Studio</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Quit without saving?</source>
        <translation>不保存就退出？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your latest changes could not be saved. Quit anyway and lose them?</source>
        <translation>最近的改动未能保存。仍要退出并丢失这些改动吗？</translation>
    </message>
</context>
<context>
    <name>ModelController</name>
    <message>
        <location filename="../../studio/ui/model_controller.py" line="+40"/>
        <source>Text sent for generation leaves this computer</source>
        <translation>送去生成的文字会离开这台电脑</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Server %1 - %2</source>
        <translation>服务器 %1 - %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Server %1</source>
        <translation>服务器 %1</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>The saved server could not be used</source>
        <translation>无法使用保存的服务器</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>No keychain on this computer: the API key is kept until Studio closes.</source>
        <translation>这台电脑上没有钥匙串：API 密钥只保留到 Studio 关闭。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server could not be remembered</source>
        <translation>无法记住此服务器</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 Studio uses the local model instead.</source>
        <translation>%1 Studio 改用本地模型。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Studio keeps using %1.</source>
        <translation>Studio 继续使用 %1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model could not be loaded</source>
        <translation>无法加载模型</translation>
    </message>
</context>
<context>
    <name>ModelSettingsDialog</name>
    <message>
        <location filename="../../studio/ui/dialogs.py" line="+82"/>
        <source>chosen file</source>
        <translation>选定的文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>models/ folder</source>
        <translation>models/ 文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 ctx</source>
        <translation>上下文 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>licence: %1</source>
        <translation>许可证：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>licence not stated</source>
        <translation>未注明许可证</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Model settings</source>
        <translation>模型设置</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Loaded now: &lt;b&gt;%1&lt;/b&gt; &lt;span style=&apos;color:gray&apos;&gt;(%2)&lt;/span&gt;</source>
        <translation>当前已加载：&lt;b&gt;%1&lt;/b&gt; &lt;span style=&apos;color:gray&apos;&gt;（%2）&lt;/span&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Models found:</source>
        <translation>找到的模型(&amp;M)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Looking for models…</source>
        <translation>正在查找模型…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Choose a GGUF file…</source>
        <translation>选择 GGUF 文件(&amp;C)…</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+7"/>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Tokens the model can read at once. Bigger reads more of the draft but uses more memory.</source>
        <translation>模型一次能读入的词元数。越大，读入的草稿越多，但占用的内存也越多。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Layers to run on the graphics card (0: none, all: every layer)</source>
        <translation>在显卡上运行的层数（0：不用显卡；全部：所有层）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context &amp;size</source>
        <translation>上下文长度(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Threads</source>
        <translation>线程数(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;GPU layers</source>
        <translation>GPU 层数(&amp;G)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asking llama.cpp about GPU offload…</source>
        <translation>正在向 llama.cpp 询问 GPU 卸载能力…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>GPU offload</source>
        <translation>GPU 卸载</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Load</source>
        <translation>加载(&amp;L)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Automatic (the first usable model; the built-in one if there is no other)</source>
        <translation>自动（第一个可用的模型；没有其他模型时用内置模型）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1  (chosen file: %2)</source>
        <translation>%1（选定的文件：%2）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>%1  (cannot be used: %2)</source>
        <translation>%1（无法使用：%2）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>No models found yet.</source>
        <translation>还没有找到模型。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n model found.</source>
        <translation>
            <numerusform>找到 %n 个模型。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%n models found.</source>
        <translation>
            <numerusform>找到 %n 个模型。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The models&apos; details could not be read</source>
        <translation>无法读取模型的详细信息</translation>
    </message>
</context>
<context>
    <name>NewDraftDialog</name>
    <message>
        <location line="-247"/>
        <source>New draft</source>
        <translation>新建草稿</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+13"/>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>&amp;Title</source>
        <translation>标题(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Form</source>
        <translation>体裁(&amp;F)</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../studio/ui/operations.py" line="+31"/>
        <source>Something went wrong. The details are in Studio&apos;s log.</source>
        <translation>出了点问题。详细信息记录在 Studio 的日志里。</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>That did not work</source>
        <translation>操作未能完成</translation>
    </message>
</context>
<context>
    <name>PresetEditor</name>
    <message>
        <location filename="../../studio/ui/library_dialogs.py" line="+61"/>
        <source>Temp</source>
        <translation>温度</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Repeat &amp;penalty</source>
        <translation>重复惩罚(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Max tokens</source>
        <translation>最多词元数(&amp;M)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rewrite</source>
        <translation>改写</translation>
    </message>
    <message>
        <location line="+231"/>
        <location line="+4"/>
        <source>Presets</source>
        <translation>预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not read the presets</source>
        <translation>无法读取预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The preset was not saved</source>
        <translation>预设未能保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not create the preset</source>
        <translation>无法创建预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not duplicate the preset</source>
        <translation>无法创建预设副本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not delete the preset</source>
        <translation>无法删除预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not reset the preset</source>
        <translation>无法重置预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New preset</source>
        <translation>新预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete preset</source>
        <translation>删除预设</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewrite</source>
        <translation>改写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Action</source>
        <translation>操作(&amp;A)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Prompt for base models ({notes}, {before}, {selection}, {instruction}…)</source>
        <translation>基础模型的提示词（{notes}、{before}、{selection}、{instruction}…）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Prompt for chat models (optional)</source>
        <translation>对话模型的提示词（可选）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base &amp;template</source>
        <translation>基础模板(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;hat template</source>
        <translation>对话模板(&amp;H)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop sequences, as JSON: [&quot;\n\n&quot;, &quot;THE END&quot;]</source>
        <translation>停止序列，JSON 格式：[&quot;\n\n&quot;, &quot;THE END&quot;]</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Stop</source>
        <translation>停止序列(&amp;S)</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Stop sequences must be a JSON list, like [&quot;\n\n&quot;].</source>
        <translation>停止序列必须是 JSON 列表，例如 [&quot;\n\n&quot;]。</translation>
    </message>
</context>
<context>
    <name>ProposalBar</name>
    <message>
        <location filename="../../studio/ui/proposal_bar.py" line="+30"/>
        <source>Proposed rewrite</source>
        <translation>提议的改写</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Previous alternative (Alt+Left)</source>
        <translation>上一个备选（Alt+Left）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Next alternative (Alt+Right)</source>
        <translation>下一个备选（Alt+Right）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accept  Tab</source>
        <translation>接受  Tab</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop  Esc</source>
        <translation>停止  Esc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard  Esc</source>
        <translation>舍弃  Esc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retry  Ctrl+R</source>
        <translation>重试  Ctrl+R</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rewrite</source>
        <translation>改写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The model&apos;s reasoning (not part of the text):
%1</source>
        <translation>模型的思考过程（不属于正文）：
%1</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>fits</source>
        <translation>合格律</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>line count</source>
        <translation>行数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>length</source>
        <translation>长度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>rhyme</source>
        <translation>韵脚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not Chinese</source>
        <translation>非中文</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>tones</source>
        <translation>平仄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>form</source>
        <translation>格律</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>line %1 %2</source>
        <translation>第 %1 行%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>does not fit: %1</source>
        <translation>不合格律：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(and one more)</source>
        <translation>（另有 1 处）</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>(and %n more)</source>
        <translation>
            <numerusform>（另有 %n 处）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The verse matched, per line: %1</source>
        <translation>所仿的段落，每行：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Per line, new (original): %1</source>
        <translation>每行，新段（原段）：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>reading the draft… %1%</source>
        <translation>正在读取草稿… %1%</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>thinking…</source>
        <translation>正在思考…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>writing…</source>
        <translation>正在写…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>waiting for the model…</source>
        <translation>正在等待模型…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nothing written</source>
        <translation>没有写出内容</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>done (stopped early)</source>
        <translation>完成（提前停止）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 · %2 tokens/s</source>
        <translation>%1 · %2 词元/秒</translation>
    </message>
</context>
<context>
    <name>RevisionsDialog</name>
    <message>
        <location filename="../../studio/ui/revisions.py" line="+29"/>
        <source>kept by hand</source>
        <translation>手动保留</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>autosave</source>
        <translation>自动保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>before a rewrite</source>
        <translation>改写之前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>before a continue</source>
        <translation>续写之前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>before a restore</source>
        <translation>恢复之前</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+18"/>
        <source>Revisions</source>
        <translation>历史版本</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%Ln word</source>
        <translation>
            <numerusform>%Ln 字</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%Ln words</source>
        <translation>
            <numerusform>%Ln 字</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose a revision to compare it with the draft as it is now.</source>
        <translation>选择一个版本，与草稿现在的内容比较。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Restore this revision</source>
        <translation>恢复此版本(&amp;R)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This draft has no revisions yet. One is kept every few minutes while you write, and before every accepted rewrite.</source>
        <translation>这篇草稿还没有历史版本。写作时每隔几分钟会保留一个版本，每次接受改写之前也会保留一个。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The revision could not be compared</source>
        <translation>无法比较此版本</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The difference could not be shown.</source>
        <translation>无法显示差异。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Same as the draft now.</source>
        <translation>与草稿现在的内容相同。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>From this revision to now: %1 / %2 characters. Struck-through text is in the revision only; underlined text is in the draft only.</source>
        <translation>从此版本到现在：%1 / %2 个字符。带删除线的文字只在此版本中，带下划线的文字只在草稿中。</translation>
    </message>
</context>
<context>
    <name>StartupCheck</name>
    <message>
        <location filename="../../studio/ui/startup_check.py" line="+36"/>
        <source>Studio cannot open its window</source>
        <translation>Studio 无法打开窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt&apos;s X11 support ({plugin}) cannot be loaded: {error}</source>
        <translation>无法加载 Qt 的 X11 支持（{plugin}）：{error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reinstall Studio; if that does not help, report this message.</source>
        <translation>请重新安装 Studio；如果仍然不行，请报告这条信息。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Studio&apos;s own file {file} is missing, so its installation is incomplete ({error}).</source>
        <translation>Studio 自带的文件 {file} 缺失，安装不完整（{error}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Install Studio again.</source>
        <translation>请重新安装 Studio。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The system library {names} is missing: Qt needs it to open windows on X11.</source>
        <translation>缺少系统库 {names}：Qt 需要它才能在 X11 上打开窗口。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The system libraries {names} are missing: Qt needs them to open windows on X11.</source>
        <translation>缺少系统库 {names}：Qt 需要它们才能在 X11 上打开窗口。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Install it, then start Studio again:</source>
        <translation>安装它，然后重新启动 Studio：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Install them, then start Studio again:</source>
        <translation>安装它们，然后重新启动 Studio：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your distribution&apos;s package search finds the package that holds {names}.</source>
        <translation>在你的发行版的软件包搜索中可以找到包含 {names} 的软件包。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>There is no display to open the window on: DISPLAY is not set (started over ssh or outside the desktop session?).</source>
        <translation>没有可以打开窗口的显示器：DISPLAY 未设置（是通过 ssh 或在桌面会话之外启动的吗？）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no display to open the window on: the display {display} cannot be reached.</source>
        <translation>没有可以打开窗口的显示器：无法连接显示器 {display}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start Studio from your desktop session. The command line needs no display: studio --help.</source>
        <translation>请在桌面会话中启动 Studio。命令行不需要显示器：studio --help。</translation>
    </message>
</context>
<context>
    <name>StudioStatusBar</name>
    <message>
        <location filename="../../studio/ui/statusbar.py" line="+20"/>
        <source>no model</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>error</source>
        <translation>出错</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unsaved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not saved</source>
        <translation>未能保存</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+26"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Speed of the last run</source>
        <translation>上次生成的速度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Length</source>
        <translation>字数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save state</source>
        <translation>保存状态</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Where text goes</source>
        <translation>文字发往何处</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%Ln tokens/s</source>
        <translation>
            <numerusform>%Ln 词元/秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%Ln words</source>
        <comment>an empty draft</comment>
        <translation>
            <numerusform>%Ln 字</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%Ln Chinese character</source>
        <translation>
            <numerusform>%Ln 字</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%Ln Chinese characters</source>
        <translation>
            <numerusform>%Ln 字</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%Ln word</source>
        <translation>
            <numerusform>%Ln 词</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%Ln words</source>
        <translation>
            <numerusform>%Ln 词</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>StyleEditor</name>
    <message>
        <location filename="../../studio/ui/library_dialogs.py" line="+21"/>
        <location line="+4"/>
        <source>Styles</source>
        <translation>风格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not read the styles</source>
        <translation>无法读取风格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The style was not saved</source>
        <translation>风格未能保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not create the style</source>
        <translation>无法创建风格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not duplicate the style</source>
        <translation>无法创建风格副本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not delete the style</source>
        <translation>无法删除风格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not reset the style</source>
        <translation>无法重置风格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New style</source>
        <translation>新风格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete style</source>
        <translation>删除风格</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Form</source>
        <translation>体裁(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How this style writes: voice, rhythm, imagery, what to avoid…</source>
        <translation>这种风格怎么写：语气、节奏、意象、要避免什么…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Guidance</source>
        <translation>写作指引(&amp;G)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Short examples in this style, separated by a line with ---</source>
        <translation>这种风格的简短范例，用单独一行 --- 分隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Examples</source>
        <translation>范例(&amp;E)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sampler changes as JSON, e.g. {&quot;temperature&quot;: 1.0}</source>
        <translation>采样参数的改动，JSON 格式，例如 {&quot;temperature&quot;: 1.0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sampler &amp;overrides</source>
        <translation>采样参数覆盖(&amp;O)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Sampler overrides must be a JSON object, like {&quot;temperature&quot;: 1.0}.</source>
        <translation>采样参数覆盖必须是 JSON 对象，例如 {&quot;temperature&quot;: 1.0}。</translation>
    </message>
</context>
<context>
    <name>SyllableGutter</name>
    <message>
        <location filename="../../studio/ui/gutter.py" line="+65"/>
        <source>Syllable counts</source>
        <translation>音节数</translation>
    </message>
</context>
<context>
    <name>TokenView</name>
    <message>
        <location filename="../../studio/ui/token_view.py" line="+157"/>
        <source>%1	%2 (written)</source>
        <translation>%1	%2（已写出）</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <location filename="../../studio/ui/actions.py" line="+29"/>
        <source>Follow the &amp;system</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New draft…</source>
        <translation>新建草稿(&amp;N)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export draft…</source>
        <translation>导出草稿(&amp;E)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export &amp;all drafts…</source>
        <translation>导出所有草稿(&amp;A)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Keep a revision now</source>
        <translation>立即保留一个版本(&amp;K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Revisions…</source>
        <translation>历史版本(&amp;R)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find and &amp;replace…</source>
        <translation>查找和替换(&amp;R)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find &amp;next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find &amp;previous</source>
        <translation>查找上一个(&amp;P)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Actual size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Focus mode</source>
        <translation>专注模式(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next &amp;pane</source>
        <translation>下一个窗格(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search drafts</source>
        <translation>搜索草稿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Drafts panel</source>
        <translation>草稿面板(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;ssistant panel</source>
        <translation>助手面板(&amp;S)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Token &amp;probabilities</source>
        <translation>词元概率(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Tint unlikely tokens</source>
        <translation>标出不太可能的词元(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Switch light/dark</source>
        <translation>切换浅色/深色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Continue</source>
        <translation>续写(&amp;C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Rewrite selection</source>
        <translation>改写选中的文字(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Alternatives</source>
        <translation>生成备选(&amp;A)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Acc&amp;ept</source>
        <translation>接受(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stop / discard</source>
        <translation>停止 / 舍弃(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;try</source>
        <translation>重试(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Previous alternative</source>
        <translation>上一个备选(&amp;P)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Next alternative</source>
        <translation>下一个备选(&amp;N)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write a &amp;verse to this meter</source>
        <translation>按此段格律写新的一段(&amp;V)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the &amp;form…</source>
        <translation>检查格律(&amp;F)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the &amp;context</source>
        <translation>显示上下文(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Lorebook…</source>
        <translation>设定集(&amp;L)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;History…</source>
        <translation>生成历史(&amp;H)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Library</source>
        <translation>资料库(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Presets…</source>
        <translation>预设(&amp;P)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Styles…</source>
        <translation>风格(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Get a model…</source>
        <translation>获取模型(&amp;G)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model &amp;settings…</source>
        <translation>模型设置(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reload model</source>
        <translation>重新加载模型(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Connect to a server…</source>
        <translation>连接到服务器(&amp;C)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use the &amp;local model</source>
        <translation>使用本地模型(&amp;L)</translation>
    </message>
</context>
<context>
    <name>WindowLanguage</name>
    <message>
        <location filename="../../studio/ui/window_language.py" line="+62"/>
        <source>The window speaks %1.</source>
        <translation>窗口已在使用这种语言：%1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Studio will be in %1 the next time it starts.</source>
        <translation>Studio 下次启动时将改用这种语言：%1。</translation>
    </message>
</context>
<context>
    <name>WindowState</name>
    <message>
        <location filename="../../studio/ui/window_state.py" line="+109"/>
        <source>Focus mode: Escape or F11 to leave.</source>
        <translation>专注模式：按 Escape 或 F11 退出。</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Zoom: %1 pt</source>
        <translation>缩放：%1 磅</translation>
    </message>
</context>
<context>
    <name>_LibraryDialog</name>
    <message>
        <location filename="../../studio/ui/library_dialogs.py" line="-328"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;uplicate</source>
        <translation>创建副本(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reset built-in</source>
        <translation>重置内置项(&amp;R)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Descri&amp;ption</source>
        <translation>描述(&amp;P)</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>built-in</source>
        <translation>内置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>edited</source>
        <translation>已修改</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Built-in (edited)</source>
        <translation>内置（已修改）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Built-in</source>
        <translation>内置</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Delete “%1”?</source>
        <translation>删除“%1”？</translation>
    </message>
</context>
<context>
    <name>builtins</name>
    <message>
        <location filename="../../studio/ui/builtin_names.py" line="+20"/>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Continue (bold)</source>
        <translation>续写（大胆）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Continue (one line)</source>
        <translation>续写（一行）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewrite</source>
        <translation>改写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expand</source>
        <translation>扩写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shorten</source>
        <translation>缩写</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folk ballad</source>
        <translation>民谣</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hip-hop verse</source>
        <translation>嘻哈段落</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pop, chorus first</source>
        <translation>流行歌，副歌先行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Free verse</source>
        <translation>自由诗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sonnet</source>
        <translation>十四行诗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Haiku</source>
        <translation>俳句</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Limerick</source>
        <translation>五行打油诗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Literary</source>
        <translation>文学</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Noir</source>
        <translation>黑色小说</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Children&apos;s story</source>
        <translation>童话故事</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tense thriller</source>
        <translation>紧张惊悚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sitcom banter</source>
        <translation>情景喜剧斗嘴</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quiet drama</source>
        <translation>静水流深的剧情</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <location filename="../../studio/domain/models.py" line="+31"/>
        <source>Unknown form {form}; choose one of: {known}.</source>
        <translation>未知的体裁 {form}；请从这些中选一个：{known}。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/discovery.py" line="+77"/>
        <source>The embedded default model is not installed (Python package &apos;{package}&apos;).</source>
        <translation>内置的默认模型没有安装（Python 包 &apos;{package}&apos;）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run scripts/setup, or put a .gguf file in the models folder.</source>
        <translation>请运行 scripts/setup，或把一个 .gguf 文件放进模型文件夹。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+27"/>
        <source>model cache</source>
        <translation>模型缓存</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Studio cannot read the default model {target} in its model cache ({reason}).</source>
        <translation>Studio 无法读取模型缓存中的默认模型 {target}（{reason}）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The embedded default model is incomplete: missing {missing}.</source>
        <translation>内置的默认模型不完整：缺少 {missing}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+15"/>
        <source>Reinstall with scripts/setup.</source>
        <translation>请用 scripts/setup 重新安装。</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>The embedded default model&apos;s piece {chunk} cannot be read ({reason}).</source>
        <translation>无法读取内置默认模型的分块 {chunk}（{reason}）。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The embedded default model&apos;s pieces do not add up to the expected file (sha256 mismatch).</source>
        <translation>内置默认模型的各个分块拼不出预期的文件（sha256 不匹配）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reinstall the package {package}.</source>
        <translation>请重新安装 {package} 包。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Studio could not write the default model into its model cache {cache_dir} ({reason}).</source>
        <translation>Studio 无法把默认模型写入它的模型缓存 {cache_dir}（{reason}）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Studio assembles its default model there once (about 250 MB): make the folder readable and writable for you, or set STUDIO_MODEL_CACHE to another folder.</source>
        <translation>Studio 会在那里组装一次默认模型（约 250 MB）：请让你对这个文件夹有读写权限，或把 STUDIO_MODEL_CACHE 设为另一个文件夹。</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Cannot use the model file {name}: {reason}.</source>
        <translation>无法使用模型文件 {name}：{reason}。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it does not exist ({path})</source>
        <translation>它不存在（{path}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it is not a file</source>
        <translation>它不是一个文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download the model again or pick another file.</source>
        <translation>请重新下载这个模型，或另选一个文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it cannot be read ({reason})</source>
        <translation>无法读取它（{reason}）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it has no general.architecture entry, so it is not a llama.cpp model</source>
        <translation>它没有 general.architecture 条目，所以不是 llama.cpp 模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown model architecture &apos;{arch}&apos; (this Studio&apos;s llama.cpp does not support it)</source>
        <translation>未知的模型架构 &apos;{arch}&apos;（这个 Studio 的 llama.cpp 不支持它）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pick a model of a supported family (Llama, Gemma, Qwen, Mistral, Phi, ...).</source>
        <translation>请选一个受支持系列的模型（Llama、Gemma、Qwen、Mistral、Phi 等）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;{arch}&apos; models do not generate text (embedding, encoder or helper model)</source>
        <translation>&apos;{arch}&apos; 模型不能生成文字（它是嵌入、编码器或辅助模型）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>it contains no tensors (weights)</source>
        <translation>它不含任何张量（权重）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it needs more than {need_gib:.1f} GiB of memory and this machine has {have_gib:.1f} GiB</source>
        <translation>它需要超过 {need_gib:.1f} GiB 内存，而这台电脑只有 {have_gib:.1f} GiB</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pick a smaller (more quantized) model.</source>
        <translation>请选一个更小（量化程度更高）的模型。</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+4"/>
        <source>its vocabulary (tokenizer.ggml.tokens) is not a list of strings</source>
        <translation>它的词表（tokenizer.ggml.tokens）不是字符串列表</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>it has no vocabulary (tokenizer.ggml.tokens)</source>
        <translation>它没有词表（tokenizer.ggml.tokens）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{key} is not a list</source>
        <translation>{key} 不是列表</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{key} does not match the vocabulary ({entries:,} entries for {tokens:,} tokens)</source>
        <translation>{key} 与词表不一致（{entries:,} 个条目，对应 {tokens:,} 个词元）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>its {key} token id {tid} is outside the vocabulary</source>
        <translation>它的 {key} 词元 id {tid} 超出了词表范围</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>its layer count ({blocks}) is not between 1 and {max_layers}: the header is damaged</source>
        <translation>它的层数（{blocks}）不在 1 到 {max_layers} 之间：文件头已损坏</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>its context length ({ctx:,} tokens) is beyond any real model&apos;s: the header is damaged</source>
        <translation>它的上下文长度（{ctx:,} 个词元）超出了任何真实模型：文件头已损坏</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>its rope dimension count ({rope}) is not a positive even number: the header is damaged</source>
        <translation>它的 rope 维数（{rope}）不是正偶数：文件头已损坏</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>its normalization epsilon ({eps}) is not a small positive number: the header is damaged</source>
        <translation>它的归一化 epsilon（{eps}）不是一个很小的正数：文件头已损坏</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>tensor {name} is one-dimensional but stored as {ggml_type} (llama.cpp needs F32, F16 or BF16 there): the file is damaged</source>
        <translation>张量 {name} 是一维的，却以 {ggml_type} 存储（llama.cpp 要求那里用 F32、F16 或 BF16）：文件已损坏</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>its tokenizer type &apos;{tokenizer}&apos; does not belong to a &apos;{arch}&apos; model: the header is damaged</source>
        <translation>它的分词器类型 &apos;{tokenizer}&apos; 不属于 &apos;{arch}&apos; 模型：文件头已损坏</translation>
    </message>
    <message>
        <location filename="../../studio/engine/job.py" line="+51"/>
        <source>There is no text to continue from.</source>
        <translation>没有可以续写的文字。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write a few words first.</source>
        <translation>请先写几个字。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The prompt ({count:,} tokens) does not fit the context ({n_ctx:,} tokens).</source>
        <translation>提示（{count:,} 个词元）放不进上下文（{n_ctx:,} 个词元）。</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>The server is still busy with another generation from Studio.</source>
        <translation>服务器仍在忙于 Studio 的另一次生成。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../studio/engine/llama_engine.py" line="+239"/>
        <source>Wait for it to finish or press Stop.</source>
        <translation>请等它完成，或按“停止”。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/llama_compat.py" line="+102"/>
        <source>Studio renders chat templates itself; create_chat_completion is not used.</source>
        <translation>Studio 自己渲染聊天模板；不使用 create_chat_completion。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/llama_engine.py" line="-82"/>
        <source>Could not load the model {name}: {reason}.</source>
        <translation>无法载入模型 {name}：{reason}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file may be damaged or need a newer llama.cpp.</source>
        <translation>这个文件可能已损坏，或需要更新版本的 llama.cpp。</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>The model is still busy with another generation.</source>
        <translation>模型仍在忙于另一次生成。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No model is loaded.</source>
        <translation>没有载入模型。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load a model first.</source>
        <translation>请先载入一个模型。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The model&apos;s chat template failed: {reason}.</source>
        <translation>模型的聊天模板出错：{reason}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pick another model for rewrites.</source>
        <translation>请为改写另选一个模型。</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>The model could not read the prompt ({reason}).</source>
        <translation>模型无法读取提示（{reason}）。</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>The model failed while writing ({reason}).</source>
        <translation>模型在写作时出错（{reason}）。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/remote_support.py" line="+209"/>
        <source>The server {url} has no model {model} (it has: {names}).</source>
        <translation>服务器 {url} 没有模型 {model}（它有：{names}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pick one of the server&apos;s models.</source>
        <translation>请从服务器的模型中选一个。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/openai_engine.py" line="+186"/>
        <location filename="../../studio/engine/remote.py" line="+198"/>
        <source>No server is connected.</source>
        <translation>没有连接服务器。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../studio/engine/remote.py" line="+1"/>
        <source>Connect to a server first.</source>
        <translation>请先连接一个服务器。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server {url} does not tokenize for Studio; token counts are estimates.</source>
        <translation>服务器 {url} 不为 Studio 分词；词元数只是估计值。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/openai_probe.py" line="+88"/>
        <location filename="../../studio/engine/remote_http.py" line="+52"/>
        <source>The server {url} sent an answer Studio cannot read ({what}).</source>
        <translation>服务器 {url} 发来的回答 Studio 无法读取（{what}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../studio/engine/openai_stream.py" line="+121"/>
        <location line="+38"/>
        <location filename="../../studio/engine/server_models.py" line="+64"/>
        <source>Is it an OpenAI-compatible server?</source>
        <translation>它是与 OpenAI 兼容的服务器吗？</translation>
    </message>
    <message>
        <location line="+58"/>
        <location filename="../../studio/engine/remote_http.py" line="+23"/>
        <source>The server {url} sent tokens Studio cannot read.</source>
        <translation>服务器 {url} 发来的词元 Studio 无法读取。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/openai_stream.py" line="-2"/>
        <location filename="../../studio/engine/remote.py" line="+189"/>
        <source>The server {url} did not send a text stream.</source>
        <translation>服务器 {url} 没有发送文字流。</translation>
    </message>
    <message>
        <location line="+26"/>
        <location filename="../../studio/engine/remote.py" line="+20"/>
        <source>{failure} The text written so far was kept.</source>
        <translation>{failure}已写出的文字已保留。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/openai_support.py" line="+113"/>
        <location filename="../../studio/engine/remote_support.py" line="-39"/>
        <source>The server {url} has no {what} (HTTP 404){detail}.</source>
        <translation>服务器 {url} 没有{what}（HTTP 404）{detail}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the model name (the server lists its models) and that it is an OpenAI-compatible server.</source>
        <translation>请检查模型名称（服务器会列出它的模型），并确认它是与 OpenAI 兼容的服务器。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/remote.py" line="-274"/>
        <source>The server {url} did not say its context size.</source>
        <translation>服务器 {url} 没有说明它的上下文大小。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+254"/>
        <location filename="../../studio/engine/remote_http.py" line="-20"/>
        <location line="+80"/>
        <source>Is it a llama.cpp llama-server?</source>
        <translation>它是 llama.cpp 的 llama-server 吗？</translation>
    </message>
    <message>
        <location line="-128"/>
        <source>The server {url} did not render the chat template.</source>
        <translation>服务器 {url} 没有渲染聊天模板。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pick another model.</source>
        <translation>请另选一个模型。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/remote_http.py" line="+10"/>
        <source>The server {url} sent a stream Studio cannot read.</source>
        <translation>服务器 {url} 发来的文字流 Studio 无法读取。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server {url} reported an error while writing: {detail}.</source>
        <translation>服务器 {url} 在写作时报告了错误：{detail}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../studio/engine/remote_support.py" line="-26"/>
        <source>Check the server.</source>
        <translation>请检查服务器。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/remote_support.py" line="-67"/>
        <source>model list</source>
        <translation>模型列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>model list (/v1/models)</source>
        <translation>模型列表（/v1/models）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>properties endpoint (/props)</source>
        <translation>属性接口（/props）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>chat template (/apply-template)</source>
        <translation>聊天模板（/apply-template）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>text completion endpoint (/v1/completions)</source>
        <translation>文本补全接口（/v1/completions）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>completion endpoint (/completion)</source>
        <translation>补全接口（/completion）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>version endpoint (/api/version)</source>
        <translation>版本接口（/api/version）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>model details (/api/show)</source>
        <translation>模型详情（/api/show）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokenizer (/tokenize)</source>
        <translation>分词器（/tokenize）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>tokenizer ({endpoint})</source>
        <translation>分词器（{endpoint}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>endpoint {endpoint}</source>
        <translation>接口 {endpoint}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The server {url} did not answer within {connect_timeout_s:.0f} s.</source>
        <translation>服务器 {url} 在 {connect_timeout_s:.0f} 秒内没有应答。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check the address and that the server is running.</source>
        <translation>请检查地址，并确认服务器正在运行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server {url} sent nothing for {idle_s:g} s and was given up on.</source>
        <translation>服务器 {url} 有 {idle_s:g} 秒没有发来任何内容，已放弃等待。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It may be overloaded or stuck; try again or restart it.</source>
        <translation>它可能负载过重或卡住了；请再试一次，或重启它。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server {url} timed out.</source>
        <translation>服务器 {url} 超时。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../studio/hub/download.py" line="+136"/>
        <location line="+3"/>
        <location line="+16"/>
        <source>Try again.</source>
        <translation>请再试一次。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server name {host} could not be found (DNS lookup failed for {url}).</source>
        <translation>找不到服务器名称 {host}（{url} 的 DNS 查询失败）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the server address.</source>
        <translation>请检查服务器地址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server {url} refused the connection.</source>
        <translation>服务器 {url} 拒绝了连接。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check that the server is running and listening on that port.</source>
        <translation>请确认服务器正在运行，并在那个端口上监听。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not connect to the server {url}.</source>
        <translation>无法连接到服务器 {url}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the address and the network.</source>
        <translation>请检查地址和网络。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server {url} closed the connection unexpectedly.</source>
        <translation>服务器 {url} 意外关闭了连接。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+13"/>
        <source>It may have stopped or crashed; check the server.</source>
        <translation>它可能已停止或崩溃；请检查服务器。</translation>
    </message>
    <message>
        <location line="-11"/>
        <location filename="../../studio/engine/server_engine.py" line="+73"/>
        <source>{url} is not a server address Studio can use.</source>
        <translation>{url} 不是 Studio 能使用的服务器地址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../studio/engine/server_engine.py" line="+2"/>
        <location filename="../../studio/engine/server_models.py" line="-20"/>
        <location filename="../../studio/engine/servers.py" line="+35"/>
        <source>Use http://host:port or https://host.</source>
        <translation>请使用 http://主机:端口 或 https://主机。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Talking to the server {url} failed.</source>
        <translation>与服务器 {url} 通信失败。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server {url} ended the stream before the text was finished.</source>
        <translation>服务器 {url} 在文字写完之前结束了文字流。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The server {url} refused the API key (HTTP {code}).</source>
        <translation>服务器 {url} 拒绝了 API 密钥（HTTP {code}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the API key (STUDIO_API_KEY).</source>
        <translation>请检查 API 密钥（STUDIO_API_KEY）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Is it a llama.cpp llama-server, and is the model name right?</source>
        <translation>它是 llama.cpp 的 llama-server 吗？模型名称对吗？</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server {url} is not ready (HTTP 503){detail}.</source>
        <translation>服务器 {url} 还没准备好（HTTP 503）{detail}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It may still be loading; try again.</source>
        <translation>它可能仍在载入；请再试一次。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server {url} failed (HTTP {code}){detail}.</source>
        <translation>服务器 {url} 出错（HTTP {code}）{detail}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the server&apos;s log.</source>
        <translation>请查看服务器的日志。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server {url} rejected the request (HTTP {code}){detail}.</source>
        <translation>服务器 {url} 拒绝了这个请求（HTTP {code}）{detail}。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/server_models.py" line="-21"/>
        <source>The API key has characters a server cannot receive (only ASCII letters, digits and signs, no spaces at the ends or line breaks).</source>
        <translation>API 密钥里有服务器无法接收的字符（只能用 ASCII 字母、数字和符号，首尾不能有空格，也不能换行）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paste the key again.</source>
        <translation>请重新粘贴密钥。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The API key starts or ends with a space.</source>
        <translation>API 密钥的开头或结尾有空格。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paste the key again without it.</source>
        <translation>请去掉空格后重新粘贴密钥。</translation>
    </message>
    <message>
        <location line="+13"/>
        <location filename="../../studio/engine/servers.py" line="-2"/>
        <source>{base} is not a server address Studio can use.</source>
        <translation>{base} 不是 Studio 能使用的服务器地址。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The server {base} sent a model list Studio cannot read.</source>
        <translation>服务器 {base} 发来的模型列表 Studio 无法读取。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/servers.py" line="+21"/>
        <source>Unknown server kind {kind}.</source>
        <translation>未知的服务器类型 {kind}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use one of: {kinds}.</source>
        <translation>请使用其中之一：{kinds}。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/tls.py" line="+19"/>
        <source>If it is your own server with a self-signed certificate, turn the certificate check off (the Connect dialog&apos;s box, or --no-verify-tls on the command line).</source>
        <translation>如果这是你自己的服务器，用的是自签名证书，请关闭证书检查（“连接”对话框中的复选框，或命令行的 --no-verify-tls）。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the certificate is not trusted</source>
        <translation>证书不受信任</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The TLS certificate of the server {url} could not be verified ({reason}).</source>
        <translation>无法验证服务器 {url} 的 TLS 证书（{reason}）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server {url} does not speak TLS (https).</source>
        <translation>服务器 {url} 不支持 TLS（https）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use its http:// address instead.</source>
        <translation>请改用它的 http:// 地址。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A secure (TLS) connection to the server {url} could not be made.</source>
        <translation>无法与服务器 {url} 建立安全（TLS）连接。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the address and the server&apos;s TLS setup.</source>
        <translation>请检查地址和服务器的 TLS 设置。</translation>
    </message>
    <message>
        <location filename="../../studio/export/files.py" line="+92"/>
        <location filename="../../studio/paths.py" line="+85"/>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the disk quota is used up</source>
        <translation>磁盘配额已用完</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location filename="../../studio/export/imports.py" line="+171"/>
        <location filename="../../studio/paths.py" line="-4"/>
        <location line="+49"/>
        <source>permission denied</source>
        <translation>没有权限</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../studio/paths.py" line="-47"/>
        <location line="+46"/>
        <source>the disk is read-only</source>
        <translation>磁盘是只读的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the folder does not exist</source>
        <translation>文件夹不存在</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>part of the path is not a folder</source>
        <translation>路径中有一部分不是文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a folder with that name is in the way</source>
        <translation>有一个同名的文件夹挡住了</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the file name is too long</source>
        <translation>文件名太长</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Could not write {path}: {reason}.</source>
        <translation>无法写入 {path}：{reason}。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Studio cannot export {what}.</source>
        <translation>Studio 无法导出{what}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../studio/export/imports.py" line="+110"/>
        <source>files without an extension</source>
        <translation>没有扩展名的文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose .md, .fountain, .html or .txt.</source>
        <translation>请选择 .md、.fountain、.html 或 .txt。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Could not create the folder {out_dir}: {reason}.</source>
        <translation>无法创建文件夹 {out_dir}：{reason}。</translation>
    </message>
    <message>
        <location filename="../../studio/export/imports.py" line="-246"/>
        <source>a GGUF model file</source>
        <translation>GGUF 模型文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a PNG image</source>
        <translation>PNG 图片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a JPEG image</source>
        <translation>JPEG 图片</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>a GIF image</source>
        <translation>GIF 图片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a PDF document; copy its text into a .txt file first</source>
        <translation>PDF 文档；请先把其中的文字复制到一个 .txt 文件里</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a zip archive (Word .docx, .odt and .epub files are zip archives); save it as .txt or .md first</source>
        <translation>zip 压缩包（Word 的 .docx、.odt 和 .epub 文件都是 zip 压缩包）；请先另存为 .txt 或 .md</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>an old Word or Office document; save it as .txt first</source>
        <translation>旧版 Word 或 Office 文档；请先另存为 .txt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a Rich Text (.rtf) file; save it as plain text first</source>
        <translation>RTF 富文本（.rtf）文件；请先另存为纯文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an SQLite database</source>
        <translation>SQLite 数据库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a program</source>
        <translation>程序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a Windows program</source>
        <translation>Windows 程序</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot import {name}: {why}.</source>
        <translation>无法导入 {name}：{why}。</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>it starts like {encoding} text but is damaged</source>
        <translation>它看起来是 {encoding} 文本，但已损坏</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it is {what}, not a text file</source>
        <translation>它是{what}，不是文本文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+58"/>
        <source>it is a binary file, not text</source>
        <translation>它是二进制文件，不是文本</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Studio cannot tell which text encoding it uses. Save it as UTF-8 and import it again</source>
        <translation>Studio 无法判断它使用哪种文本编码。请把它另存为 UTF-8，再重新导入</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>it is {size_mb} MB; Studio imports text files up to 64 MB</source>
        <translation>它有 {size_mb} MB；Studio 只能导入 64 MB 以内的文本文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the file does not exist</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it is a folder</source>
        <translation>它是一个文件夹</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>{suffix} files</source>
        <translation>{suffix} 文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot import {name}: Studio imports .md, .txt and .fountain files, not {kind}.</source>
        <translation>无法导入 {name}：Studio 只能导入 .md、.txt 和 .fountain 文件，不能导入{kind}。</translation>
    </message>
    <message>
        <location filename="../../studio/hub/catalogue.py" line="+43"/>
        <source>Studio&apos;s model catalogue {path} cannot be read ({reason}).</source>
        <translation>无法读取 Studio 的模型目录 {path}（{reason}）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Studio&apos;s model catalogue {path} lists no models.</source>
        <translation>Studio 的模型目录 {path} 没有列出任何模型。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>entry {i} ({name})</source>
        <translation>第 {i} 项（{name}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>entry {i}</source>
        <translation>第 {i} 项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Studio&apos;s model catalogue: {where} is not a table.</source>
        <translation>Studio 的模型目录：{where}不是一个表。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Studio&apos;s model catalogue: {where} lacks {missing}.</source>
        <translation>Studio 的模型目录：{where}缺少 {missing}。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Studio&apos;s model catalogue: {where} has kind {kind} (instruct or base).</source>
        <translation>Studio 的模型目录：{where}的 kind 为 {kind}（应为 instruct 或 base）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Studio&apos;s model catalogue: {where} needs repo as owner/name and a .gguf file.</source>
        <translation>Studio 的模型目录：{where}需要 owner/name 形式的 repo 和一个 .gguf 文件。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Studio&apos;s model catalogue: the name {name} is there twice.</source>
        <translation>Studio 的模型目录：名称 {name} 出现了两次。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Studio&apos;s model catalogue: {where} has an empty or non-text {key}.</source>
        <translation>Studio 的模型目录：{where}的 {key} 为空或不是文字。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Studio&apos;s model catalogue: {where} has a {key} that is not a positive number.</source>
        <translation>Studio 的模型目录：{where}的 {key} 不是正数。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Studio&apos;s model catalogue: {where} has a {key} that is not true or false.</source>
        <translation>Studio 的模型目录：{where}的 {key} 不是 true 或 false。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Studio&apos;s model catalogue: {where} needs languages as a list like [&quot;en&quot;, &quot;zh&quot;].</source>
        <translation>Studio 的模型目录：{where}的 languages 需要是列表，例如 [&quot;en&quot;, &quot;zh&quot;]。</translation>
    </message>
    <message>
        <location filename="../../studio/hub/client.py" line="+48"/>
        <source>{repo} is not a hub repo name.</source>
        <translation>{repo} 不是模型库的仓库名。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write it as owner/name, for example lmstudio-community/Qwen2.5-7B-Instruct-GGUF.</source>
        <translation>请写成 owner/name，例如 lmstudio-community/Qwen2.5-7B-Instruct-GGUF。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{path} is not a .gguf file name inside a repo.</source>
        <translation>{path} 不是仓库中的 .gguf 文件名。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The hub at {endpoint} answered {repo}&apos;s file list with something that is not JSON.</source>
        <translation>{endpoint} 的模型库对 {repo} 文件列表的回答不是 JSON。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check HF_ENDPOINT: it must name the hub or a mirror of it.</source>
        <translation>请检查 HF_ENDPOINT：它必须指向模型库或它的镜像。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The hub at {endpoint} sent an unexpected file list for {repo}.</source>
        <translation>{endpoint} 的模型库发来的 {repo} 文件列表不合预期。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The hub has no file {path} in {repo}.</source>
        <translation>模型库的 {repo} 中没有文件 {path}。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The hub at {endpoint} stopped answering (timed out) while Studio fetched {repo}.</source>
        <translation>Studio 获取 {repo} 时，{endpoint} 的模型库停止了应答（超时）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The connection to the hub at {endpoint} broke while Studio fetched {repo} ({reason}).</source>
        <translation>Studio 获取 {repo} 时，与 {endpoint} 模型库的连接断开了（{reason}）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Studio could not reach the hub at {endpoint} ({reason}).</source>
        <translation>Studio 无法连接到 {endpoint} 的模型库（{reason}）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{path} in {repo}</source>
        <translation>{repo} 中的 {path}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The token in HF_TOKEN has no access to it: accept the model&apos;s terms on its page with that account, or use a token that has access.</source>
        <translation>HF_TOKEN 中的令牌无权访问它：请用那个账号在模型页面上接受它的条款，或使用有访问权限的令牌。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It is gated or private: accept its terms on its page on the hub, then set HF_TOKEN to an access token of yours and try again.</source>
        <translation>它是受限或私有的：请在模型库的页面上接受它的条款，然后把 HF_TOKEN 设为你自己的访问令牌，再试一次。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The hub refused access to {what} (HTTP {code}).</source>
        <translation>模型库拒绝访问 {what}（HTTP {code}）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>repo {repo}</source>
        <translation>仓库 {repo}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The hub has no {what} (HTTP 404).</source>
        <translation>模型库中没有 {what}（HTTP 404）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the spelling (owner/name, and the file name with its quant).</source>
        <translation>请检查拼写（owner/name，以及带量化类型的文件名）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The hub at {endpoint} answered HTTP {code} for {what}.</source>
        <translation>{endpoint} 的模型库对 {what} 返回了 HTTP {code}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Check the connection (or HF_ENDPOINT) and try again: a download resumes where it stopped.</source>
        <translation>请检查网络连接（或 HF_ENDPOINT），然后再试一次：下载会从中断处继续。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>its name cannot be resolved: no network, or a mistyped HF_ENDPOINT</source>
        <translation>无法解析它的名称：没有网络，或 HF_ENDPOINT 写错了</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the connection was refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <location filename="../../studio/hub/download.py" line="-79"/>
        <source>The hub gave no SHA-256 for {path} in {repo}, so Studio cannot check the file.</source>
        <translation>模型库没有提供 {repo} 中 {path} 的 SHA-256，所以 Studio 无法校验这个文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download it from a hub that serves LFS hashes (huggingface.co or a full mirror).</source>
        <translation>请从提供 LFS 哈希的模型库（huggingface.co 或完整镜像）下载。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Studio cannot write to its models folder {models_dir} ({reason}).</source>
        <translation>Studio 无法写入它的模型文件夹 {models_dir}（{reason}）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name} is being downloaded already (by another Studio window or command).</source>
        <translation>{name} 已经在下载中（由另一个 Studio 窗口或命令发起）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Studio could not move the finished {name} into {models_dir} ({reason}).</source>
        <translation>Studio 无法把下载完成的 {name} 移入 {models_dir}（{reason}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It stays in models/.partial; try again.</source>
        <translation>它留在 models/.partial 中；请再试一次。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The hub sent {path} from another offset than asked ({range}).</source>
        <translation>模型库发来的 {path} 起始位置与请求的不同（{range}）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The hub would not resume {path} from byte {have:,}.</source>
        <translation>模型库不肯从第 {have:,} 字节继续下载 {path}。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Download of {name} stopped at {have_mb:,.0f} of {size_mb:,.0f} MB.</source>
        <translation>{name} 的下载停在 {have_mb:,.0f} / {size_mb:,.0f} MB。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The next try resumes from there.</source>
        <translation>下次会从那里继续下载。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The hub sent more bytes for {path} than it said it has.</source>
        <translation>模型库为 {path} 发来的字节比它声称的多。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The disk filled up while downloading {name} ({have_mb:,.0f} of {size_mb:,.0f} MB fetched).</source>
        <translation>下载 {name} 时磁盘满了（已下载 {have_mb:,.0f} / {size_mb:,.0f} MB）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Free some space and try again: the download resumes from there.</source>
        <translation>请腾出一些磁盘空间，然后再试一次：下载会从那里继续。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Studio could not write {part} ({reason}).</source>
        <translation>Studio 无法写入 {part}（{reason}）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The hub stopped sending {name} at {have_mb:,.0f} of {size_mb:,.0f} MB.</source>
        <translation>模型库在 {have_mb:,.0f} / {size_mb:,.0f} MB 处停止发送 {name}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Try again: the download resumes from there.</source>
        <translation>请再试一次：下载会从那里继续。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The downloaded {name} does not match the hub&apos;s SHA-256 (it is damaged or not the file the hub lists); Studio deleted it.</source>
        <translation>下载的 {name} 与模型库的 SHA-256 不符（文件已损坏，或不是模型库列出的那个文件）；Studio 已把它删除。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Try again; if it happens again, the mirror (HF_ENDPOINT) may serve a bad copy.</source>
        <translation>请再试一次；如果再次出现，可能是镜像（HF_ENDPOINT）提供了损坏的副本。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Not enough free disk for {name}: it needs {needed} and {parent} has {free} free.</source>
        <translation>{name} 所需的磁盘空间不足：它需要 {needed}，而 {parent} 只剩 {free}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Free some space or pick a smaller model (or a smaller quant).</source>
        <translation>请腾出一些磁盘空间，或选一个更小的模型（或更小的量化版本）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Studio cannot read {target} ({reason}).</source>
        <translation>Studio 无法读取 {target}（{reason}）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The models folder already has a different file named {name}.</source>
        <translation>模型文件夹里已经有另一个同名文件 {name}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rename or remove it, then download again.</source>
        <translation>请把它改名或移走，然后重新下载。</translation>
    </message>
    <message>
        <location filename="../../studio/paths.py" line="-65"/>
        <source>data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>backups folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Check its permissions (Studio must be able to read and write it), or choose another one with --data-dir.</source>
        <translation>请检查它的权限（Studio 必须能读写它），或用 --data-dir 另选一个。</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Studio cannot create its {what} {folder} ({reason}).</source>
        <translation>Studio 无法创建它的{what} {folder}（{reason}）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Studio cannot reach its {what} {folder} ({reason} on a folder above it).</source>
        <translation>Studio 无法访问它的{what} {folder}（上层文件夹{reason}）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Studio&apos;s {what} {folder} is a file, not a folder.</source>
        <translation>Studio 的{what} {folder} 是一个文件，不是文件夹。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Studio cannot read its {what} {folder} (permission denied).</source>
        <translation>Studio 无法读取它的{what} {folder}（没有权限）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Studio cannot write to its {what} {folder} ({reason}).</source>
        <translation>Studio 无法写入它的{what} {folder}（{reason}）。</translation>
    </message>
    <message>
        <location filename="../../studio/services/drafts.py" line="+69"/>
        <location line="+30"/>
        <source>A draft needs a title.</source>
        <translation>草稿需要一个标题。</translation>
    </message>
    <message>
        <location filename="../../studio/services/forms.py" line="+232"/>
        <source>{got} lines, the verse matched has {want}</source>
        <translation>{got} 行，所仿的段落有 {want} 行</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>line {line}: {n} characters, the verse matched has {target}</source>
        <translation>第 {line} 行：{n} 字，所仿的段落此行 {target} 字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>line {line}: {n} syllables, the verse matched has {target}</source>
        <translation>第 {line} 行：{n} 个音节，所仿的段落此行 {target} 个音节</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>line {line} does not rhyme with line {ref}, as lines {ref} and {line} of the verse matched do</source>
        <translation>第 {line} 行与第 {ref} 行不押韵，而所仿的段落中第 {ref} 行与第 {line} 行押韵</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>The draft has no verse to match yet.</source>
        <translation>草稿里还没有可仿写的段落。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write a verse first: lines between blank lines.</source>
        <translation>先写一段：空行之间的几行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>There is no verse {number}: the draft has {count}.</source>
        <translation>没有第 {number} 段：草稿共有 {count} 段。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give a verse number from 1 to {count}.</source>
        <translation>请给出 1 到 {count} 之间的段号。</translation>
    </message>
    <message>
        <location filename="../../studio/services/models.py" line="+308"/>
        <source>No model named {spec} in the catalogue.</source>
        <translation>模型目录里没有名为 {spec} 的模型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Take one of: {names}; or give OWNER/REPO:FILE.gguf.</source>
        <translation>请从这些中选一个：{names}；或者写成 OWNER/REPO:FILE.gguf。</translation>
    </message>
    <message>
        <location filename="../../studio/services/recovery.py" line="+26"/>
        <source>There is no backup to open.</source>
        <translation>没有可以打开的备份。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Could not open the backup {backup}: {reason}.</source>
        <translation>无法打开备份 {backup}：{reason}。</translation>
    </message>
    <message>
        <location filename="../../studio/storage/errors.py" line="+34"/>
        <source>The database is busy (another Studio is writing); try again.</source>
        <translation>数据库正忙（另一个 Studio 正在写入），请再试一次。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Studio left the file untouched. To recover, quit Studio, move the file aside and copy the newest backup to {path}.</source>
        <translation>Studio 没有动这个文件。要恢复，请退出 Studio，把这个文件移到别处，再把最新的备份复制到 {path}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Studio left the file untouched. Move it aside to start with an empty database.</source>
        <translation>Studio 没有动这个文件。把它移到别处，即可从一个空数据库开始。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Backups (newest first):
{backups}</source>
        <translation>备份（最新的在前）：
{backups}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There are no backups in {folder}.</source>
        <translation>{folder} 里没有备份。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>There are no backups.</source>
        <translation>没有备份。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The database {path} {problem}
{advice}
{listing}</source>
        <translation>数据库 {path} {problem}
{advice}
{listing}</translation>
    </message>
    <message>
        <location line="+24"/>
        <location filename="../../studio/storage/repositories/_common.py" line="+46"/>
        <source>The draft was changed elsewhere (another window or the command line) while saving; nothing was overwritten.</source>
        <translation>保存时草稿已在别处（另一个窗口或命令行）被修改；没有覆盖任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../studio/storage/repositories/_common.py" line="+2"/>
        <source>Reload the draft and try again.</source>
        <translation>请重新载入草稿，然后再试一次。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Studio cannot write to {path}: the file or its folder is read-only.</source>
        <translation>Studio 无法写入 {path}：这个文件或它所在的文件夹是只读的。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the permissions of the data folder, or choose another one with --data-dir.</source>
        <translation>请检查数据文件夹的权限，或用 --data-dir 另选一个数据文件夹。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The disk holding {path} is full; the last change was not saved.</source>
        <translation>{path} 所在的磁盘已满；最后一次修改没有保存。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Free some space and try again.</source>
        <translation>请腾出一些磁盘空间，然后再试一次。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>is damaged ({text}).</source>
        <translation>已损坏（{text}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Studio could not read or write {path} (disk I/O error).</source>
        <translation>Studio 无法读写 {path}（磁盘读写错误）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the drive is still connected and healthy.</source>
        <translation>请检查磁盘是否仍然连接、工作正常。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Studio cannot open the database {path}.</source>
        <translation>Studio 无法打开数据库 {path}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that the folder exists and that you may read and write it.</source>
        <translation>请检查这个文件夹是否存在，以及你是否有读写权限。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SQLite ran out of memory.</source>
        <translation>SQLite 内存不足。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close other programs and try again.</source>
        <translation>请关闭其他程序，然后再试一次。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The database refused the change ({text}).</source>
        <translation>数据库拒绝了这次修改（{text}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Database error on {path}: {text}</source>
        <translation>数据库 {path} 出错：{text}</translation>
    </message>
    <message>
        <location filename="../../studio/storage/kinds.py" line="+49"/>
        <source>Unknown action {action}; choose one of: {known}.</source>
        <translation>未知的操作 {action}；请从这些中选一个：{known}。</translation>
    </message>
    <message>
        <location line="+49"/>
        <location filename="../../studio/storage/repositories/_common.py" line="+9"/>
        <source>preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+38"/>
        <location filename="../../studio/storage/repositories/_common.py" line="+1"/>
        <source>style</source>
        <translation>风格</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>form</source>
        <translation>体裁</translation>
    </message>
    <message>
        <location filename="../../studio/storage/migrate.py" line="+75"/>
        <source>Studio&apos;s database migrations are missing from the installation.</source>
        <translation>安装中缺少 Studio 的数据库迁移文件。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Studio cannot create the data folder {parent}: {reason}.</source>
        <translation>Studio 无法创建数据文件夹 {parent}：{reason}。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Another Studio has been upgrading {db_path} for over {migrate_lock_timeout_s:.0f} seconds.</source>
        <translation>另一个 Studio 升级 {db_path} 已超过 {migrate_lock_timeout_s:.0f} 秒。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>If no other Studio is running, delete {lock_file} and start again.</source>
        <translation>如果没有别的 Studio 在运行，请删除 {lock_file}，然后重新启动。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Studio cannot create a lock file next to {db_path}: {reason}.</source>
        <translation>Studio 无法在 {db_path} 旁边创建锁文件：{reason}。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>is empty (0 bytes), although Studio has backups of it.</source>
        <translation>是空的（0 字节），但 Studio 有它的备份。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Studio could not back up {db_path} into {backups_dir} before upgrading it: {reason}.</source>
        <translation>Studio 在升级 {db_path} 之前无法把它备份到 {backups_dir}：{reason}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Free some disk space or check the folder&apos;s permissions, then start again.</source>
        <translation>请腾出一些磁盘空间或检查文件夹的权限，然后重新启动。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Studio cannot read the database {db_path}: {reason}.</source>
        <translation>Studio 无法读取数据库 {db_path}：{reason}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>is not an SQLite database, or its first page is damaged.</source>
        <translation>不是 SQLite 数据库，或者它的第一页已损坏。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>is damaged (SQLite&apos;s check found: {detail}).</source>
        <translation>已损坏（SQLite 检查发现：{detail}）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>is an SQLite database, but not one Studio made.</source>
        <translation>是 SQLite 数据库，但不是 Studio 创建的。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Studio left it untouched; move it aside or choose another data folder with --data-dir.</source>
        <translation>Studio 没有动它；请把它移到别处，或用 --data-dir 另选一个数据文件夹。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>was made by a newer Studio (database revision {unknown}; this Studio knows up to {head}).</source>
        <translation>是由更新版本的 Studio 创建的（数据库架构版本 {unknown}；这个 Studio 最多认识到 {head}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Studio left it untouched. Update Studio, or open one of the older backups with this version.</source>
        <translation>Studio 没有动它。请更新 Studio，或用这个版本打开较早的某个备份。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>records several schema revisions ({revisions}).</source>
        <translation>记录了多个架构修订版本（{revisions}）。</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Upgrading {db_path} would break {count} reference(s) between tables; nothing was changed.</source>
        <translation>升级 {db_path} 会破坏表之间的 {count} 处引用；没有做任何修改。</translation>
    </message>
    <message>
        <location filename="../../studio/storage/repositories/_common.py" line="-4"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>generation</source>
        <translation>生成记录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>lore entry</source>
        <translation>设定条目</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No {noun} with id {row_id}</source>
        <translation>没有 id 为 {row_id} 的{noun}</translation>
    </message>
    <message>
        <location filename="../../studio/storage/repositories/catalogue.py" line="+36"/>
        <source>A {noun} needs a name.</source>
        <translation>{noun}需要一个名称。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{group} </source>
        <translation>{group} </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A {scope}{noun} named {clean} already exists; choose another name.</source>
        <translation>已经有名为 {clean} 的{scope}{noun}；请换一个名称。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Several {noun}s are named {clean} ({groups}); say which {group_noun}.</source>
        <translation>有多个{noun}名为 {clean}（{groups}）；请说明是哪个{group_noun}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> for {group}</source>
        <translation>（{group}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No {noun} named {clean}{where}</source>
        <translation>没有名为 {clean} 的{noun}{where}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>This {noun} has not been saved yet; create it instead.</source>
        <translation>这个{noun}还没有保存；请改为新建。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>built-in {noun}s can be reset, not deleted</source>
        <translation>内置{noun}只能重置，不能删除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Duplicate it to make your own copy.</source>
        <translation>请复制一份，作为你自己的副本。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Only built-in {noun}s can be reset; {name} is your own.</source>
        <translation>只有内置{noun}才能重置；{name} 是你自己的。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The built-in {noun} {name} is no longer shipped with this Studio; there is nothing to reset it to.</source>
        <translation>内置{noun} {name} 已不再随这个版本的 Studio 提供；没有可以重置成的内容。</translation>
    </message>
    <message>
        <location filename="../../studio/storage/repositories/drafts.py" line="+123"/>
        <source>“{title}” was changed elsewhere (another window or the command line) since it was opened: this copy is based on version {expected_version}, the saved draft is version {version}. Nothing was overwritten.</source>
        <translation>“{title}”在打开之后已在别处（另一个窗口或命令行）被修改：这份副本基于第 {expected_version} 版，已保存的草稿是第 {version} 版。没有覆盖任何内容。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reload the draft, or save your text as a copy.</source>
        <translation>请重新载入草稿，或把你的文字另存为副本。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>“{title}” is not in the trash; move it to the trash before deleting it for good.</source>
        <translation>“{title}”不在回收站里；请先把它移到回收站，再永久删除。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Unknown revision reason {reason}.</source>
        <translation>未知的修订原因 {reason}。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>keep must be zero or more.</source>
        <translation>keep 必须是零或更大的数。</translation>
    </message>
    <message>
        <location filename="../../studio/storage/repositories/records.py" line="+43"/>
        <source>Seed {seed} does not fit in 64 bits.</source>
        <translation>种子 {seed} 超出了 64 位的范围。</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Setting {key} cannot be stored: {reason}.</source>
        <translation>无法保存设置 {key}：{reason}。</translation>
    </message>
    <message>
        <location filename="../../studio/storage/store.py" line="+84"/>
        <location line="+145"/>
        <source>Studio cannot create its data folder {root}: {reason}.</source>
        <translation>Studio 无法创建它的数据文件夹 {root}：{reason}。</translation>
    </message>
    <message>
        <location line="-143"/>
        <source>Check the folder&apos;s permissions, or choose another one with --data-dir.</source>
        <translation>请检查这个文件夹的权限，或用 --data-dir 另选一个。</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>The database is closed.</source>
        <translation>数据库已关闭。</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Studio cannot save to {where}: it is read-only ({reason}). Nothing was changed.</source>
        <translation>Studio 无法保存到 {where}：它是只读的（{reason}）。没有做任何修改。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Make it writable (permissions, a read-only disk, or chattr -i), or start with --data-dir on a copy in a writable folder.</source>
        <translation>请让它可写（权限、只读磁盘，或 chattr -i），或者把副本放到可写的文件夹里，用 --data-dir 启动。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Studio is already open on {root} (another window holds it).</source>
        <translation>Studio 已经在 {root} 上打开（另一个窗口正在使用它）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Switch to that window, or start this one with another --data-dir.</source>
        <translation>请切换到那个窗口，或用另一个 --data-dir 启动这个窗口。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Studio cannot create its lock file {lock_file}: {reason}.</source>
        <translation>Studio 无法创建它的锁文件 {lock_file}：{reason}。</translation>
    </message>
    <message>
        <location filename="../../studio/services/lore.py" line="+51"/>
        <source>A lore entry needs at least one key (a name or word that brings it into the prompt); only blanks were given.</source>
        <translation>设定条目至少需要一个关键词（让它进入提示词的名字或词语）；给出的只有空白。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give keys separated by commas, e.g. Mara, 玛拉.</source>
        <translation>关键词之间用逗号分隔，例如 Mara, 玛拉。</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>The lore scan depth must be between 1 and {most} characters, not {chars}.</source>
        <translation>设定的扫描范围必须在 1 到 {most} 个字符之间，而不是 {chars}。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>A lore entry needs a text: what the model should know when its key comes up.</source>
        <translation>设定条目需要正文：关键词出现时模型应当知道的内容。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>counted with the loaded model&apos;s tokenizer</source>
        <translation>按已加载模型的分词器计算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>estimated at one token per Chinese character and per {n} other characters, no model being loaded</source>
        <translation>未加载模型，按每个汉字一个词元、其他字符每 {n} 个一个词元估算</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the loaded model&apos;s</source>
        <translation>已加载模型的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the model settings&apos;</source>
        <translation>模型设置中的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the default</source>
        <translation>默认的</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This lore entry is too large for the context: about {tokens} tokens ({how}), and {whose} context of {n_ctx} tokens leaves {room} for lore beside the draft and the output. Nothing was saved.</source>
        <translation>这条设定对上下文来说太长：约 {tokens} 个词元（{how}），而{whose}上下文共 {n_ctx} 个词元，除去草稿和输出只给设定留下 {room} 个。什么都没有保存。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Shorten it, or split it into entries with their own keys.</source>
        <translation>请缩短它，或拆成几条各有关键词的设定。</translation>
    </message>
    <message>
        <location filename="../../studio/cli/ask.py" line="+59"/>
        <source>The model failed while answering ({reason}).</source>
        <translation>模型在回答时出错（{reason}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The draft is unchanged; try again or pick another model.</source>
        <translation>草稿没有改变；请重试或换一个模型。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/ask_prompt.py" line="+59"/>
        <location filename="../../studio/services/ask.py" line="+174"/>
        <source>Ask a question first.</source>
        <translation>请先提出问题。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../studio/services/ask.py" line="+1"/>
        <source>Type what you want to know about the draft.</source>
        <translation>输入你想了解的关于这篇草稿的问题。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>The question is too long for the model&apos;s context of {n_ctx:,} tokens.</source>
        <translation>问题太长，超出了模型 {n_ctx:,} 个词元的上下文。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ask it in fewer words.</source>
        <translation>请用更少的字提问。</translation>
    </message>
    <message>
        <location filename="../../studio/services/history.py" line="+116"/>
        <source>Output {id} is empty: there is nothing to restore.</source>
        <translation>输出 {id} 是空的：没有可恢复的内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose another output of the history.</source>
        <translation>请在生成历史中选择另一段输出。</translation>
    </message>
    <message>
        <location filename="../../studio/services/library_files.py" line="+97"/>
        <source>{path} could not be written: {reason}.</source>
        <translation>未能写入 {path}：{reason}。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{path}: {where}: {problem} Nothing was imported.</source>
        <translation>{path}：{where}：{problem} 没有导入任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fix the file and import it again.</source>
        <translation>请修改文件后重新导入。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{path} could not be read: {reason}.</source>
        <translation>未能读取 {path}：{reason}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not a valid TOML file ({reason}).</source>
        <translation>不是有效的 TOML 文件（{reason}）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown key; a file of {kinds} holds only [[{kind}]] tables.</source>
        <translation>未知的键；{kinds} 文件只能包含 [[{kind}]] 表。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no [[{kind}]] tables in the file (each {kind} starts with a [[{kind}]] line).</source>
        <translation>文件中没有 [[{kind}]] 表（每个 {kind} 以一行 [[{kind}]] 开头）。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>unknown key “{key}”; known: {known}.</source>
        <translation>未知的键“{key}”；可用的键：{known}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>“{key}” is missing.</source>
        <translation>缺少“{key}”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“{key}” must be text in quotes, not {value}.</source>
        <translation>“{key}”必须是加引号的文字，而不是 {value}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the name is empty.</source>
        <translation>名称为空。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{key} “{value}” is not one of: {known}.</source>
        <translation>{key}“{value}”不在可选值之中：{known}。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“sampler” must be a table, written [&lt;kind&gt;.sampler].</source>
        <translation>“sampler”必须是一个表，写作 [&lt;kind&gt;.sampler]。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>sampler {key} must be a whole number, not {value}.</source>
        <translation>采样参数 {key} 必须是整数，而不是 {value}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sampler {key} must be a number, not {value}.</source>
        <translation>采样参数 {key} 必须是数字，而不是 {value}。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sampler {key} = {value} is outside {span}.</source>
        <translation>采样参数 {key} = {value} 超出了范围 {span}。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sampler stop must be a list of non-empty texts.</source>
        <translation>采样参数 stop 必须是由非空文字组成的列表。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown sampler setting “{key}”; known: {known}.</source>
        <translation>未知的采样参数“{key}”；可用的参数：{known}。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>“exemplars” must be a list of texts.</source>
        <translation>“exemplars”必须是文字列表。</translation>
    </message>
    <message>
        <location filename="../../studio/services/models.py" line="-188"/>
        <source>needs about {need} of memory and this machine has {total}</source>
        <translation>需要约 {need} 内存，这台电脑只有 {total}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the file is {size} and the disk has {free} free</source>
        <translation>文件有 {size}，磁盘只剩 {free}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>scaled from {tps:.0f} tokens/s measured here on {model_file}</source>
        <translation>按这台电脑上 {model_file} 测得的 {tps:.0f} 词元/秒推算</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>guessed from its size and {cores} cores; no run measured here yet, use Studio once and the estimate gets real</source>
        <translation>按文件大小和 {cores} 个核心估算；这台电脑上还没有测过，用 Studio 生成一次后估算会更准</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>needs about {need} of memory of this machine&apos;s {total}: it would swap</source>
        <translation>需要约 {need} 内存，这台电脑共有 {total}：会用到交换空间</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>needs about {need} of memory and {free} is free now: close other programs first</source>
        <translation>需要约 {need} 内存，当前只有 {free} 可用：请先关闭其他程序</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>about {tps:.1f} tokens/s, slower than reading pace ({basis})</source>
        <translation>约 {tps:.1f} 词元/秒，比阅读速度慢（{basis}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>about {tps:.0f} tokens/s ({basis})</source>
        <translation>约 {tps:.0f} 词元/秒（{basis}）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This llama.cpp runs on the CPU only (it was built without GPU offload), so GPU layers are not used.</source>
        <translation>此 llama.cpp 只能在 CPU 上运行（编译时没有启用 GPU 卸载），GPU 层数的设置不起作用。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This llama.cpp can offload layers to a GPU, but the GPU&apos;s free memory cannot be measured here, so how many layers fit is not known.</source>
        <translation>此 llama.cpp 可以把层卸载到 GPU，但这里测不出 GPU 的可用显存，所以不知道能放下多少层。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the {free} free on {devices}</source>
        <translation>{devices} 上可用的 {free} 显存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This llama.cpp can offload layers to a GPU: {where}.</source>
        <translation>此 llama.cpp 可以把层卸载到 GPU：{where}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All {layers} layers fit in {where} (GPU layers: all).</source>
        <translation>全部 {layers} 层都能放进 {where}（GPU 层数：全部）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About {fit} of its {layers} layers fit in {where}.</source>
        <translation>{layers} 层中约有 {fit} 层能放进 {where}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All its layers fit in {where}.</source>
        <translation>它的所有层都能放进 {where}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About {share:.0%} of its layers fit in {where}.</source>
        <translation>约 {share:.0%} 的层能放进 {where}。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{count} GPUs ({names})</source>
        <translation>{count} 块 GPU（{names}）</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>{repo} has no .gguf files (it may hold the original weights only).</source>
        <translation>{repo} 里没有 .gguf 文件（可能只有原始权重）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{file}: {reason}</source>
        <translation>{file}：{reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none of its whole model files fits this machine</source>
        <translation>它的完整模型文件没有一个适合这台电脑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it holds only split or projector files, which Studio does not download</source>
        <translation>它只有分卷文件或投影文件，Studio 不下载这类文件</translation>
    </message>
    <message>
        <location filename="../../studio/engine/prompts.py" line="+290"/>
        <source>The notes and style guidance take {fixed:,} tokens, too many for the model&apos;s context of {n_ctx:,} tokens.</source>
        <translation>笔记和风格说明占了 {fixed:,} 个词元，超出了模型 {n_ctx:,} 个词元的上下文。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shorten the draft&apos;s notes or pick a shorter style.</source>
        <translation>请缩短草稿的笔记，或选一个更短的风格。</translation>
    </message>
    <message>
        <location filename="../../studio/engine/rewrite_prompt.py" line="+37"/>
        <source>Rewrite it a few paragraphs at a time.</source>
        <translation>请每次改写几段。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The selection is too long to rewrite in one go: {chars:,} characters (more than {n_ctx:,} tokens); about {fits_chars:,} characters ({fits_tokens:,} tokens) fit in this model&apos;s context of {n_ctx:,} tokens, with room for the rewritten text.</source>
        <translation>选中的文字太长，无法一次改写：{chars:,} 个字符（超过 {n_ctx:,} 个词元）；在这个模型 {n_ctx:,} 个词元的上下文里，留出改写结果的位置后，大约能放下 {fits_chars:,} 个字符（{fits_tokens:,} 个词元）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Select some text to rewrite first.</source>
        <translation>请先选中要改写的文字。</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>The selection is too long to rewrite in one go: {chars:,} characters ({tokens:,} tokens); about {fits_chars:,} characters ({fits_tokens:,} tokens) fit in this model&apos;s context of {n_ctx:,} tokens, with room for the rewritten text.</source>
        <translation>选中的文字太长，无法一次改写：{chars:,} 个字符（{tokens:,} 个词元）；在这个模型 {n_ctx:,} 个词元的上下文里，留出改写结果的位置后，大约能放下 {fits_chars:,} 个字符（{fits_tokens:,} 个词元）。</translation>
    </message>
    <message>
        <location filename="../../studio/services/generation.py" line="+174"/>
        <location line="+6"/>
        <source>No model is loaded yet.</source>
        <translation>模型还没有加载。</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Wait for the model to finish loading.</source>
        <translation>请等模型加载完成。</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Select the passage to rewrite first.</source>
        <translation>请先选中要改写的段落。</translation>
    </message>
    <message>
        <location filename="../../studio/forms/poetry.py" line="+62"/>
        <source>free verse</source>
        <translation>自由诗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>haiku</source>
        <translation>俳句</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sonnet</source>
        <translation>十四行诗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>limerick</source>
        <translation>五行打油诗</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shakespearean</source>
        <translation>莎士比亚体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Petrarchan</source>
        <translation>彼特拉克体</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Unknown poetry form {name!r}.</source>
        <translation>未知的诗体 {name!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Known forms: {known}.</source>
        <translation>已知的诗体：{known}。</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>{n} character</source>
        <translation>{n} 字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} characters</source>
        <translation>{n} 字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} syllable</source>
        <translation>{n} 个音节</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} syllables</source>
        <translation>{n} 个音节</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{low} to {high}</source>
        <translation>{low} 至 {high}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Unknown rhyme system {name!r}.</source>
        <translation>未知的韵书 {name!r}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Known: {known}.</source>
        <translation>已知的韵书：{known}。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>{place}: {count}, {form} wants {want}</source>
        <translation>{place}：{count}，{form}应为 {want}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{place}: has non-Chinese words, {form} is all Chinese</source>
        <translation>{place}：含有非中文的词，{form}应全用中文</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{got} line, {form} wants {lines}</source>
        <translation>{got} 行，{form}应为 {lines} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{got} lines, {form} wants {lines}</source>
        <translation>{got} 行，{form}应为 {lines} 行</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>{place}: stresses {stresses} depart from iambic pentameter at syllable {where}</source>
        <translation>{place}：重音 {stresses} 在第 {where} 个音节处偏离抑扬格五音步</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{place}: stresses {stresses} do not bounce on {beats} beats (da-da-DUM), {form} lines go {pattern}</source>
        <translation>{place}：重音 {stresses} 未按 {beats} 拍的抑抑扬节奏（da-da-DUM）起伏，{form}各行的拍数为 {pattern}</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>{place} does not rhyme with {other}, {form} wants {scheme} ({name})</source>
        <translation>{place}与{other}不押韵，{form}的韵式应为 {scheme}（{name}）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>line {line} (verse {verse})</source>
        <translation>第 {line} 行第 {verse} 句</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>line {line}</source>
        <translation>第 {line} 行</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{place} does not rhyme with {other}, {form} wants {scheme}</source>
        <translation>{place}与{other}不押韵，{form}的韵式应为 {scheme}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{place} rhymes with {other}, {form} wants a new rhyme there ({scheme})</source>
        <translation>{place}与{other}押韵，{form}此处应换新韵（{scheme}）</translation>
    </message>
    <message>
        <location filename="../../studio/forms/regulated.py" line="+58"/>
        <source>not in the table</source>
        <translation>不在韵表中</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>{place}: {char} is not in the {book} table; its tone and rhyme are not checked</source>
        <translation>{place}：“{char}”不在{book}韵表中，其平仄与韵未检查</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{place}: ends without a Chinese character, so it cannot rhyme</source>
        <translation>{place}：句末不是汉字，无法押韵</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{char} ({place}: {groups})</source>
        <translation>{char}（{place}：{groups}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{first}, {then}</source>
        <translation>{first}、{then}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{place}: {char} ({groups}) does not rhyme with {others} under {book}; {form} rhymes in one group</source>
        <translation>{place}：按{book}，{char}（{groups}）与{others}不押韵；{form}应押同一韵部</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the rhyme cannot be checked: fewer than two rhyme positions end in characters of the {book} table</source>
        <translation>无法检查押韵：以{book}韵表中的字结尾的韵脚位置不足两处</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{place}: {char} ({groups}) ends in the rhyme tone outside {shared}: a neighbouring rhyme (邻韵) in the first line</source>
        <translation>{place}：{char}（{groups}）与韵脚同调，但不在{shared}中：首句用了邻韵</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{place}: tones {tones}, the 特拗 of {pattern}</source>
        <translation>{place}：平仄 {tones}，是 {pattern} 的特拗</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{place}: {char} ({ordinal}) is 仄 where {pattern} wants 平, answered (拗救) by {answer} ({answer_ordinal}) of {answer_place}</source>
        <translation>{place}：{char}（第{ordinal}字）为仄，{pattern} 此处应为平，由{answer_place}的{answer}（第{answer_ordinal}字）拗救</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{char} ({ordinal}) is {tone}, wants {want}</source>
        <translation>{char}（第{ordinal}字）为{tone}，应为{want}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{first}; {then}</source>
        <translation>{first}；{then}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{place}: tones {tones}, {name} wants {pattern}: {where}</source>
        <translation>{place}：平仄 {tones}，{name}应为 {pattern}：{where}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{place}: 孤平 ({tones}): a single 平 besides the rhyme</source>
        <translation>{place}：孤平（{tones}）：除韵脚外只有一个平声字</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{place}: 三平尾 ({tones}): the line ends on three 平</source>
        <translation>{place}：三平尾（{tones}）：句末连用三个平声</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name} ({place} and {next_place}): {pair}; 对仗 is for the poet to judge</source>
        <translation>{name}（{place}与{next_place}）：{pair}；对仗与否由诗人自定</translation>
    </message>
</context>
</TS>
