import { addSectionTexts } from '../../i18n';
import { en, zhCN } from './texts';

// The texts shared by the merchants, settlement, audit and staff sections, registered by whichever loads first.
addSectionTexts('parts', { 'zh-CN': zhCN, en });
