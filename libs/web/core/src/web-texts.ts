/** The texts of the shared web components (libs/web/ui), namespace `web`; the apps add their own namespaces. */
export const WEB_TEXTS_ZH = {
  skip: '跳到主要内容',
  routeError: { title: '出错了', hint: '可能是网络不好或服务繁忙，请稍后再试。', reload: '重新加载' },
  // The button shows the other language in that language, so a reader of either finds it.
  language: { other: 'English', label: '切换语言' },
};

export const WEB_TEXTS_EN: typeof WEB_TEXTS_ZH = {
  skip: 'Skip to main content',
  routeError: {
    title: 'Something went wrong',
    hint: 'The network may be down or the service busy. Try again in a moment.',
    reload: 'Reload',
  },
  language: { other: '中文', label: 'Switch language' },
};
