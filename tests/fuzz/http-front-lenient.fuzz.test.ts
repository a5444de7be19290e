// HTTP front fuzz, lenient profile (suite in http-front-suite.ts).
import { httpFrontSuite } from './http-front-suite.ts';

httpFrontSuite('lenient');
